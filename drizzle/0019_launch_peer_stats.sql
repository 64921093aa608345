CREATE TABLE "launch_peer_stats" (
	"campaign_id" uuid NOT NULL,
	"department" text NOT NULL,
	"title" text NOT NULL,
	"entitlement_id" uuid,
	"n" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "launch_peer_stats" ADD CONSTRAINT "launch_peer_stats_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "launch_peer_stats_lookup" ON "launch_peer_stats" USING btree ("campaign_id","department","title","entitlement_id");