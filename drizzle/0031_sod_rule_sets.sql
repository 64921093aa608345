CREATE TABLE "sod_rule_entitlements" (
	"rule_id" uuid NOT NULL,
	"entitlement_id" uuid NOT NULL,
	CONSTRAINT "sod_rule_entitlements_rule_id_entitlement_id_pk" PRIMARY KEY("rule_id","entitlement_id")
);
--> statement-breakpoint
ALTER TABLE "sod_rules" ADD COLUMN "created_by_id" uuid;--> statement-breakpoint
ALTER TABLE "sod_rules" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sod_rule_entitlements" ADD CONSTRAINT "sod_rule_entitlements_rule_id_sod_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."sod_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sod_rule_entitlements" ADD CONSTRAINT "sod_rule_entitlements_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sod_rule_entitlements_entitlement" ON "sod_rule_entitlements" USING btree ("entitlement_id");--> statement-breakpoint
ALTER TABLE "sod_rules" ADD CONSTRAINT "sod_rules_created_by_id_identities_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Existing pairs become sets of two; their columns are dropped by the next migration.
INSERT INTO "sod_rule_entitlements" ("rule_id", "entitlement_id")
SELECT "id", "entitlement_a_id" FROM "sod_rules" UNION SELECT "id", "entitlement_b_id" FROM "sod_rules";--> statement-breakpoint
UPDATE "sod_rules" SET "updated_at" = "created_at";--> statement-breakpoint
-- Names become unique regardless of case: a later twin keeps its name with the start of its id appended.
UPDATE "sod_rules" r SET "name" = r."name" || ' (' || left(r."id"::text, 8) || ')'
WHERE EXISTS (SELECT 1 FROM "sod_rules" o WHERE lower(o."name") = lower(r."name") AND (o."created_at", o."id") < (r."created_at", r."id"));--> statement-breakpoint
CREATE UNIQUE INDEX "sod_rules_name" ON "sod_rules" USING btree (lower("name"));