CREATE TABLE "metric_privilege_daily" (
	"day" date NOT NULL,
	"kind" "grant_kind" NOT NULL,
	"category" text NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"department" text NOT NULL,
	"grants" integer NOT NULL,
	"available_hours" double precision NOT NULL,
	"used_hours" double precision NOT NULL,
	CONSTRAINT "metric_privilege_daily_day_kind_category_entitlement_id_department_pk" PRIMARY KEY("day","kind","category","entitlement_id","department")
);
--> statement-breakpoint
CREATE TABLE "metric_rollups" (
	"name" text PRIMARY KEY NOT NULL,
	"first_day" date NOT NULL,
	"computed_through" timestamp with time zone NOT NULL,
	"session_watermark" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_privilege_daily" ADD CONSTRAINT "metric_privilege_daily_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_privilege_daily_entitlement" ON "metric_privilege_daily" USING btree ("entitlement_id","day");