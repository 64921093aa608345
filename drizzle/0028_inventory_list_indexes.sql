-- Substring search over names and emails (the trigram indexes below).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "grants_list";--> statement-breakpoint
CREATE INDEX "identities_display_name_trgm" ON "identities" USING gin ("display_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "identities_email_trgm" ON "identities" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "entitlements_name_trgm" ON "entitlements" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "grants_holder_newest" ON "grants" USING btree ("identity_id","granted_at","id","entitlement_id","kind","status");--> statement-breakpoint
CREATE INDEX "grants_entitlement_newest" ON "grants" USING btree ("entitlement_id","granted_at","id","identity_id","kind","status");--> statement-breakpoint
CREATE INDEX "grants_list" ON "grants" USING btree ("granted_at","id","identity_id","entitlement_id","kind","status");