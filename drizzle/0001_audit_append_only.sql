-- The audit trail is append-only: rows can be added, never changed or removed.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
-- Fail-closed check: a session that sets accord.fail_audit = 'on' makes its own audit inserts
-- fail, so tests can prove that no business change survives a lost audit row.
CREATE OR REPLACE FUNCTION audit_events_fail_when_armed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('accord.fail_audit', true) = 'on' THEN
    RAISE EXCEPTION 'audit insert failed (accord.fail_audit is armed)';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_fail_when_armed BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_fail_when_armed();
