CREATE TABLE "metric_grant_last_use" (
	"grant_id" uuid PRIMARY KEY NOT NULL,
	"last_used_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_rollups" ADD COLUMN "usage_watermark" bigint DEFAULT 0 NOT NULL;