ALTER TYPE "public"."campaign_status" ADD VALUE 'launching' BEFORE 'active';--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "second_stage_privileged_only" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "window_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "privileged_review_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "standard_review_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ad_hoc" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "run_number" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "extended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "subject_key" text NOT NULL;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "reviewer_reason" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "revocation_id" uuid;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_revocation_id_revocations_id_fk" FOREIGN KEY ("revocation_id") REFERENCES "public"."revocations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_series_run" ON "campaigns" USING btree ("series_id","run_number");--> statement-breakpoint
CREATE UNIQUE INDEX "review_items_subject" ON "review_items" USING btree ("campaign_id","subject_key","stage");