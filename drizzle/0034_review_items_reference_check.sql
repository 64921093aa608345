ALTER TABLE "review_items" DROP CONSTRAINT "review_items_grant_id_grants_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_identity_id_identities_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_entitlement_id_entitlements_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_reviewer_id_identities_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_original_reviewer_id_identities_id_fk";
--> statement-breakpoint
ALTER TABLE "launch_grants" DROP COLUMN "last_used_at";--> statement-breakpoint
ALTER TABLE "launch_grants" DROP COLUMN "usage_days";--> statement-breakpoint
ALTER TABLE "launch_grants" DROP COLUMN "session_count";--> statement-breakpoint
ALTER TABLE "launch_grants" DROP COLUMN "session_seconds";--> statement-breakpoint
ALTER TABLE "launch_grants" DROP COLUMN "activations";--> statement-breakpoint
ALTER TABLE "launch_grants" DROP COLUMN "sessions";--> statement-breakpoint
-- review_items names grants, identities and entitlements without foreign keys (why: see
-- db/schema/campaigns.ts). Once per statement, every item written must name rows that exist:
-- five anti-joins over the statement's new rows instead of five key lookups (and row locks) per row.
CREATE OR REPLACE FUNCTION review_items_reference_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT m INTO missing FROM (
    SELECT 'grant_id ' || n.grant_id m FROM new_items n WHERE n.grant_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM grants x WHERE x.id = n.grant_id)
    UNION ALL
    SELECT 'identity_id ' || n.identity_id FROM new_items n WHERE NOT EXISTS (SELECT 1 FROM identities x WHERE x.id = n.identity_id)
    UNION ALL
    SELECT 'entitlement_id ' || n.entitlement_id FROM new_items n WHERE NOT EXISTS (SELECT 1 FROM entitlements x WHERE x.id = n.entitlement_id)
    UNION ALL
    SELECT 'reviewer_id ' || n.reviewer_id FROM new_items n WHERE n.reviewer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM identities x WHERE x.id = n.reviewer_id)
    UNION ALL
    SELECT 'original_reviewer_id ' || n.original_reviewer_id FROM new_items n
    WHERE n.original_reviewer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM identities x WHERE x.id = n.original_reviewer_id)
  ) refs LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'review_items: % does not exist', missing USING ERRCODE = 'foreign_key_violation', TABLE = 'review_items';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER review_items_reference_check_insert AFTER INSERT ON review_items
  REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION review_items_reference_check();
--> statement-breakpoint
CREATE TRIGGER review_items_reference_check_update AFTER UPDATE ON review_items
  REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION review_items_reference_check();
