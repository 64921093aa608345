CREATE TABLE "metric_privilege_daily_totals" (
	"day" date NOT NULL,
	"kind" "grant_kind" NOT NULL,
	"category" text NOT NULL,
	"department" text NOT NULL,
	"grants" integer NOT NULL,
	"available_hours" double precision NOT NULL,
	"used_hours" double precision NOT NULL,
	CONSTRAINT "metric_privilege_daily_totals_day_kind_category_department_pk" PRIMARY KEY("day","kind","category","department")
);
