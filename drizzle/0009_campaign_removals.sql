ALTER TABLE "campaigns" ADD COLUMN "removals" text DEFAULT 'at_close' NOT NULL;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "reduce_to" text;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "reduce_expires_at" timestamp with time zone;