CREATE TABLE "metric_privilege_app_running" (
	"day" date NOT NULL,
	"application_id" uuid NOT NULL,
	"available_hours" double precision NOT NULL,
	"used_hours" double precision NOT NULL,
	CONSTRAINT "metric_privilege_app_running_day_application_id_pk" PRIMARY KEY("day","application_id")
);
--> statement-breakpoint
ALTER TABLE "metric_privilege_app_running" ADD CONSTRAINT "metric_privilege_app_running_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;