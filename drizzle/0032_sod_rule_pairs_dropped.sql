ALTER TABLE "sod_rules" DROP CONSTRAINT "sod_rules_distinct";--> statement-breakpoint
ALTER TABLE "sod_rules" DROP CONSTRAINT "sod_rules_entitlement_a_id_entitlements_id_fk";
--> statement-breakpoint
ALTER TABLE "sod_rules" DROP CONSTRAINT "sod_rules_entitlement_b_id_entitlements_id_fk";
--> statement-breakpoint
ALTER TABLE "sod_rules" DROP COLUMN "entitlement_a_id";--> statement-breakpoint
ALTER TABLE "sod_rules" DROP COLUMN "entitlement_b_id";