-- review_queue_counts follows review_items: every statement that inserts, updates or deletes items
-- appends one signed delta row per (reviewer, campaign, application) whose pending or decided
-- count it changed. Appending (never updating a shared row) means two writers, such as two launch
-- slices or two reviewers deciding at once, never wait on each other; readers sum the rows and
-- fold them now and then (db/queries/reviews.ts). The application is the entitlement's: an
-- entitlement never moves to another application.
CREATE OR REPLACE FUNCTION review_queue_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO review_queue_counts (reviewer_id, campaign_id, application_id, pending, decided)
    SELECT n.reviewer_id, n.campaign_id, e.application_id, count(*) FILTER (WHERE n.status = 'pending'), count(*) FILTER (WHERE n.status = 'decided')
    FROM new_items n JOIN entitlements e ON e.id = n.entitlement_id
    WHERE n.reviewer_id IS NOT NULL AND n.status IN ('pending', 'decided')
    GROUP BY 1, 2, 3;
  ELSIF TG_OP = 'DELETE' THEN
    -- Items deleted with their campaign leave nothing behind: the campaign's rows go with it.
    INSERT INTO review_queue_counts (reviewer_id, campaign_id, application_id, pending, decided)
    SELECT o.reviewer_id, o.campaign_id, e.application_id, -count(*) FILTER (WHERE o.status = 'pending'), -count(*) FILTER (WHERE o.status = 'decided')
    FROM old_items o JOIN entitlements e ON e.id = o.entitlement_id
    WHERE o.reviewer_id IS NOT NULL AND o.status IN ('pending', 'decided') AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = o.campaign_id)
    GROUP BY 1, 2, 3;
  ELSE
    -- Only items whose reviewer, status, campaign or entitlement changed count (not a reminder's timestamp).
    INSERT INTO review_queue_counts (reviewer_id, campaign_id, application_id, pending, decided)
    SELECT d.reviewer_id, d.campaign_id, e.application_id, sum(d.sign) FILTER (WHERE d.status = 'pending'), sum(d.sign) FILTER (WHERE d.status = 'decided')
    FROM old_items o JOIN new_items n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.reviewer_id, o.campaign_id, o.entitlement_id, o.status, -1), (n.reviewer_id, n.campaign_id, n.entitlement_id, n.status, 1))
      d(reviewer_id, campaign_id, entitlement_id, status, sign)
    JOIN entitlements e ON e.id = d.entitlement_id
    WHERE (o.reviewer_id, o.status, o.campaign_id, o.entitlement_id) IS DISTINCT FROM (n.reviewer_id, n.status, n.campaign_id, n.entitlement_id)
      AND d.reviewer_id IS NOT NULL AND d.status IN ('pending', 'decided')
    GROUP BY 1, 2, 3
    HAVING coalesce(sum(d.sign) FILTER (WHERE d.status = 'pending'), 0) <> 0 OR coalesce(sum(d.sign) FILTER (WHERE d.status = 'decided'), 0) <> 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER review_queue_counts_insert AFTER INSERT ON review_items
  REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION review_queue_counts_follow();
--> statement-breakpoint
CREATE TRIGGER review_queue_counts_update AFTER UPDATE ON review_items
  REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION review_queue_counts_follow();
--> statement-breakpoint
CREATE TRIGGER review_queue_counts_delete AFTER DELETE ON review_items
  REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION review_queue_counts_follow();
--> statement-breakpoint
-- The items that exist already, one row per group (the triggers hold writers off until this commits).
INSERT INTO review_queue_counts (reviewer_id, campaign_id, application_id, pending, decided)
SELECT r.reviewer_id, r.campaign_id, e.application_id, count(*) FILTER (WHERE r.status = 'pending'), count(*) FILTER (WHERE r.status = 'decided')
FROM review_items r JOIN entitlements e ON e.id = r.entitlement_id
WHERE r.reviewer_id IS NOT NULL AND r.status IN ('pending', 'decided')
GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Keep the queue index's visibility map and the statistics close behind launches and bulk
-- decisions: the queue is walked from the index alone where the map says a page is all-visible,
-- and a launch adds a reviewer the statistics have not seen (defaults: 20% and 10% of the table).
ALTER TABLE review_items SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
