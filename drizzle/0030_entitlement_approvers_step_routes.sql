CREATE TYPE "public"."step_route" AS ENUM('app_owners', 'admins');--> statement-breakpoint
CREATE TABLE "entitlement_approvers" (
	"entitlement_id" uuid NOT NULL,
	"identity_id" uuid NOT NULL,
	"added_by_id" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entitlement_approvers_entitlement_id_identity_id_pk" PRIMARY KEY("entitlement_id","identity_id")
);
--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "routed_to" "step_route";--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "routed_reason" text;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD COLUMN "routed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "entitlement_approvers" ADD CONSTRAINT "entitlement_approvers_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlement_approvers" ADD CONSTRAINT "entitlement_approvers_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlement_approvers" ADD CONSTRAINT "entitlement_approvers_added_by_id_identities_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entitlement_approvers_identity" ON "entitlement_approvers" USING btree ("identity_id");