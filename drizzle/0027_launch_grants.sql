CREATE TABLE "launch_grants" (
	"campaign_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"last_used_at" timestamp with time zone,
	"usage_days" integer NOT NULL,
	"session_count" integer NOT NULL,
	"session_seconds" bigint NOT NULL,
	"activations" integer NOT NULL,
	"sessions" jsonb,
	CONSTRAINT "launch_grants_campaign_id_grant_id_pk" PRIMARY KEY("campaign_id","grant_id")
);
--> statement-breakpoint
ALTER TABLE "launch_grants" ADD CONSTRAINT "launch_grants_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;