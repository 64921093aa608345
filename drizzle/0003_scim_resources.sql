ALTER TABLE "identities" ADD COLUMN "employee_number" text;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "scim_resource" jsonb;--> statement-breakpoint
ALTER TABLE "entitlements" ADD COLUMN "scim_resource" jsonb;