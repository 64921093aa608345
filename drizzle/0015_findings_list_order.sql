DROP INDEX "findings_open";--> statement-breakpoint
CREATE INDEX "findings_open" ON "findings" USING btree ("status","severity" DESC NULLS LAST,"first_seen_at","id");