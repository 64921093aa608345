-- An update that moves items between reviewers (reassignment, escalation) changes only pending
-- counts: the decided sum of such a group is empty (null), not 0. Same function, with the sums coalesced.
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
    SELECT d.reviewer_id, d.campaign_id, e.application_id, coalesce(sum(d.sign) FILTER (WHERE d.status = 'pending'), 0), coalesce(sum(d.sign) FILTER (WHERE d.status = 'decided'), 0)
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
