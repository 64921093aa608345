ALTER TYPE "public"."verification_method" ADD VALUE 'superseded';--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD COLUMN "account_name" text;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD COLUMN "participants" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD COLUMN "used_without_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "activation_id" uuid;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "request_id" uuid;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "account_name" text;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "failed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "used_without_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "privileged_sessions_list" ON "privileged_sessions" USING btree ("started_at","id");--> statement-breakpoint
CREATE INDEX "privileged_sessions_application" ON "privileged_sessions" USING btree ("application_id","started_at");--> statement-breakpoint
CREATE INDEX "privileged_sessions_unapproved" ON "privileged_sessions" USING btree ("started_at") WHERE "privileged_sessions"."used_without_approval";--> statement-breakpoint
CREATE INDEX "usage_events_session" ON "usage_events" USING btree ("session_id") WHERE "usage_events"."session_id" is not null;--> statement-breakpoint
CREATE INDEX "usage_events_unapproved" ON "usage_events" USING btree ("occurred_at") WHERE "usage_events"."used_without_approval";--> statement-breakpoint
CREATE INDEX "usage_events_unmatched" ON "usage_events" USING btree ("application_id","account_name") WHERE "usage_events"."account_id" is null;