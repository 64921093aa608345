ALTER TABLE "launch_grants" ADD COLUMN "previous_decisions" jsonb;--> statement-breakpoint
ALTER TABLE "launch_grants" ADD COLUMN "findings" jsonb;