-- The reference check probes each value by key (a subquery per value, never a join): planned as a
-- join over a statement's 10,000 rows, the grants check became a merge join that walked the grants
-- key index from its start to the slice's last grant, longer for every later slice of a launch.
CREATE OR REPLACE FUNCTION review_items_reference_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT m INTO missing FROM (
    SELECT 'grant_id ' || n.grant_id m FROM new_items n WHERE n.grant_id IS NOT NULL AND (SELECT 1 FROM grants x WHERE x.id = n.grant_id) IS NULL
    UNION ALL
    SELECT 'identity_id ' || n.id FROM (SELECT DISTINCT identity_id id FROM new_items) n WHERE (SELECT 1 FROM identities x WHERE x.id = n.id) IS NULL
    UNION ALL
    SELECT 'entitlement_id ' || n.id FROM (SELECT DISTINCT entitlement_id id FROM new_items) n WHERE (SELECT 1 FROM entitlements x WHERE x.id = n.id) IS NULL
    UNION ALL
    SELECT 'reviewer_id ' || n.id FROM (SELECT DISTINCT reviewer_id id FROM new_items WHERE reviewer_id IS NOT NULL) n
    WHERE (SELECT 1 FROM identities x WHERE x.id = n.id) IS NULL
    UNION ALL
    SELECT 'original_reviewer_id ' || n.id FROM (SELECT DISTINCT original_reviewer_id id FROM new_items WHERE original_reviewer_id IS NOT NULL) n
    WHERE (SELECT 1 FROM identities x WHERE x.id = n.id) IS NULL
  ) refs LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'review_items: % does not exist', missing USING ERRCODE = 'foreign_key_violation', TABLE = 'review_items';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Evidence documents over about 2 kB (a third of a launch's, those listing sessions) are
-- compressed as they are written: lz4 costs a fraction of the default pglz's CPU, which was 5% of
-- a launch. Servers built without lz4 keep pglz.
DO $$
BEGIN
  ALTER TABLE review_items ALTER COLUMN evidence SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END;
$$;
