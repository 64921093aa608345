CREATE TABLE "review_queue_counts" (
	"reviewer_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"pending" integer NOT NULL,
	"decided" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "review_items_reviewer_queue";--> statement-breakpoint
ALTER TABLE "review_queue_counts" ADD CONSTRAINT "review_queue_counts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_queue_counts_reviewer" ON "review_queue_counts" USING btree ("reviewer_id");--> statement-breakpoint
CREATE INDEX "review_items_reviewer_queue" ON "review_items" USING btree ("reviewer_id","status","subject_name","id","campaign_id","entitlement_id","recommendation");