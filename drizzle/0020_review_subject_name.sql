DROP INDEX "review_items_reviewer_queue";--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "subject_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "review_items_reviewer_queue" ON "review_items" USING btree ("reviewer_id","status","subject_name","id");--> statement-breakpoint
UPDATE "review_items" SET "subject_name" = coalesce("evidence" -> 'identity' ->> 'name', '');
