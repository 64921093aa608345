CREATE TABLE "metric_unused_snapshot" (
	"bucket" text NOT NULL,
	"category" text NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"department" text NOT NULL,
	"grants" integer NOT NULL,
	"never_used" integer NOT NULL,
	CONSTRAINT "metric_unused_snapshot_bucket_category_entitlement_id_department_pk" PRIMARY KEY("bucket","category","entitlement_id","department")
);
--> statement-breakpoint
ALTER TABLE "metric_unused_snapshot" ADD CONSTRAINT "metric_unused_snapshot_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE cascade ON UPDATE no action;