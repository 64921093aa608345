CREATE TYPE "public"."account_status" AS ENUM('active', 'disabled', 'deleted');--> statement-breakpoint
CREATE TYPE "public"."activation_status" AS ENUM('pending', 'active', 'ended', 'expired');--> statement-breakpoint
CREATE TYPE "public"."actor_kind" AS ENUM('human', 'system', 'api_token');--> statement-breakpoint
CREATE TYPE "public"."approver_rule" AS ENUM('manager', 'app_owner', 'entitlement_owner', 'named');--> statement-breakpoint
CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'active', 'closing', 'closed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."close_policy" AS ENUM('revoke', 'keep_and_flag', 'extend_once');--> statement-breakpoint
CREATE TYPE "public"."connector_kind" AS ENUM('scim', 'webhook', 'manual', 'none');--> statement-breakpoint
CREATE TYPE "public"."credential_kind" AS ENUM('api_key', 'access_key', 'token', 'certificate', 'password', 'ssh_key');--> statement-breakpoint
CREATE TYPE "public"."entitlement_kind" AS ENUM('role', 'group', 'permission', 'policy');--> statement-breakpoint
CREATE TYPE "public"."finding_kind" AS ENUM('used_without_approval', 'expired_but_live', 'revocation_not_applied', 'regranted_after_revocation', 'orphan_account', 'leaver_account', 'nhi_no_owner', 'nhi_owner_leaver', 'unused_standing_privilege', 'break_glass_unreviewed', 'sod_conflict', 'credential_not_rotated');--> statement-breakpoint
CREATE TYPE "public"."finding_status" AS ENUM('open', 'resolved', 'accepted');--> statement-breakpoint
CREATE TYPE "public"."grant_kind" AS ENUM('standing', 'time_bound', 'eligible');--> statement-breakpoint
CREATE TYPE "public"."grant_source" AS ENUM('request', 'import', 'scim', 'direct', 'detected');--> statement-breakpoint
CREATE TYPE "public"."grant_status" AS ENUM('active', 'pending_revocation', 'revoked', 'expired');--> statement-breakpoint
CREATE TYPE "public"."identity_kind" AS ENUM('human', 'non_human');--> statement-breakpoint
CREATE TYPE "public"."identity_status" AS ENUM('active', 'suspended', 'leaver');--> statement-breakpoint
CREATE TYPE "public"."identity_type" AS ENUM('employee', 'contractor', 'third_party', 'service_account', 'api_key', 'token', 'workload', 'ai_agent');--> statement-breakpoint
CREATE TYPE "public"."lifecycle_kind" AS ENUM('joiner', 'mover', 'leaver', 'reactivation', 'suspension');--> statement-breakpoint
CREATE TYPE "public"."live_state" AS ENUM('unknown', 'present', 'absent');--> statement-breakpoint
CREATE TYPE "public"."platform_role" AS ENUM('admin', 'auditor');--> statement-breakpoint
CREATE TYPE "public"."recommendation" AS ENUM('certify', 'revoke', 'reduce', 'none');--> statement-breakpoint
CREATE TYPE "public"."recurrence" AS ENUM('none', 'quarterly', 'yearly', 'custom');--> statement-breakpoint
CREATE TYPE "public"."request_status" AS ENUM('pending', 'approved', 'denied', 'expired', 'cancelled', 'fulfilled');--> statement-breakpoint
CREATE TYPE "public"."review_decision" AS ENUM('certify', 'revoke', 'reduce', 'reassign');--> statement-breakpoint
CREATE TYPE "public"."review_item_status" AS ENUM('pending', 'decided', 'closed');--> statement-breakpoint
CREATE TYPE "public"."reviewer_rule" AS ENUM('manager', 'app_owner', 'entitlement_owner', 'nhi_owner', 'named');--> statement-breakpoint
CREATE TYPE "public"."revocation_cause" AS ENUM('review', 'request_denial', 'expiry', 'finding', 'admin', 'reduce', 'leaver');--> statement-breakpoint
CREATE TYPE "public"."revocation_status" AS ENUM('requested', 'dispatched', 'applied', 'verified', 'failed');--> statement-breakpoint
CREATE TYPE "public"."risk_level" AS ENUM('low', 'medium', 'high', 'critical');--> statement-breakpoint
CREATE TYPE "public"."step_status" AS ENUM('waiting', 'pending', 'approved', 'denied', 'skipped', 'expired');--> statement-breakpoint
CREATE TYPE "public"."usage_kind" AS ENUM('sign_in', 'api_call', 'role_assumption', 'session', 'group_change', 'other');--> statement-breakpoint
CREATE TYPE "public"."verification_method" AS ENUM('read_back', 'callback', 'attestation');--> statement-breakpoint
CREATE TABLE "identities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"external_id" text,
	"kind" "identity_kind" NOT NULL,
	"type" "identity_type" NOT NULL,
	"display_name" text NOT NULL,
	"email" text,
	"user_name" text,
	"status" "identity_status" DEFAULT 'active' NOT NULL,
	"department" text,
	"title" text,
	"organization" text,
	"manager_id" uuid,
	"owner_id" uuid,
	"description" text,
	"started_on" date,
	"left_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identities_kind_matches_type" CHECK (("identities"."kind" = 'human') = ("identities"."type" in ('employee', 'contractor', 'third_party')))
);
--> statement-breakpoint
CREATE TABLE "identity_roles" (
	"identity_id" uuid NOT NULL,
	"role" "platform_role" NOT NULL,
	"granted_by_id" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_roles_identity_id_role_pk" PRIMARY KEY("identity_id","role")
);
--> statement-breakpoint
CREATE TABLE "lifecycle_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identity_id" uuid NOT NULL,
	"kind" "lifecycle_kind" NOT NULL,
	"source" text NOT NULL,
	"changes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"identity_id" uuid,
	"username" text NOT NULL,
	"external_id" text,
	"status" "account_status" DEFAULT 'active' NOT NULL,
	"last_seen_at" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "application_owners" (
	"application_id" uuid NOT NULL,
	"identity_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_owners_application_id_identity_id_pk" PRIMARY KEY("application_id","identity_id")
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"description" text,
	"risk_tier" "risk_level" DEFAULT 'medium' NOT NULL,
	"connector_kind" "connector_kind" DEFAULT 'manual' NOT NULL,
	"connector_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"connector_secret" text,
	"revocation_sla_hours" integer DEFAULT 24 NOT NULL,
	"credential_rotation_days" integer DEFAULT 90 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entitlements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"kind" "entitlement_kind" DEFAULT 'role' NOT NULL,
	"description" text,
	"privileged" boolean DEFAULT false NOT NULL,
	"risk_level" "risk_level" DEFAULT 'low' NOT NULL,
	"owner_id" uuid,
	"break_glass" boolean DEFAULT false NOT NULL,
	"allowed_kinds" "grant_kind"[] DEFAULT '{time_bound,eligible,standing}'::grant_kind[] NOT NULL,
	"max_duration_minutes" integer,
	"requires_ticket" boolean DEFAULT false NOT NULL,
	"approval_chain" "approver_rule"[] DEFAULT '{manager,app_owner}'::approver_rule[] NOT NULL,
	"two_person_rule" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entitlements_max_duration_positive" CHECK ("entitlements"."max_duration_minutes" is null or "entitlements"."max_duration_minutes" > 0)
);
--> statement-breakpoint
CREATE TABLE "sod_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"entitlement_a_id" uuid NOT NULL,
	"entitlement_b_id" uuid NOT NULL,
	"severity" "risk_level" DEFAULT 'high' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sod_rules_distinct" CHECK ("sod_rules"."entitlement_a_id" <> "sod_rules"."entitlement_b_id")
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identity_id" uuid NOT NULL,
	"application_id" uuid,
	"kind" "credential_kind" NOT NULL,
	"fingerprint" text NOT NULL,
	"stored_in" text,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"last_rotated_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"rotation_days" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requester_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"kind" "grant_kind" NOT NULL,
	"break_glass" boolean DEFAULT false NOT NULL,
	"duration_minutes" integer,
	"starts_at" timestamp with time zone,
	"justification" text NOT NULL,
	"ticket" text,
	"status" "request_status" DEFAULT 'pending' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_requests_justification" CHECK (length(trim("access_requests"."justification")) > 0)
);
--> statement-breakpoint
CREATE TABLE "approval_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"rule" "approver_rule" NOT NULL,
	"approver_id" uuid,
	"status" "step_status" DEFAULT 'waiting' NOT NULL,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"approved_duration_minutes" integer,
	"comment" text
);
--> statement-breakpoint
CREATE TABLE "activations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grant_id" uuid NOT NULL,
	"identity_id" uuid NOT NULL,
	"status" "activation_status" DEFAULT 'active' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"justification" text NOT NULL,
	"ticket" text,
	"break_glass" boolean DEFAULT false NOT NULL,
	"incident_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activations_window" CHECK ("activations"."ends_at" > "activations"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identity_id" uuid NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"account_id" uuid,
	"kind" "grant_kind" NOT NULL,
	"status" "grant_status" DEFAULT 'active' NOT NULL,
	"source" "grant_source" NOT NULL,
	"external_id" text,
	"request_id" uuid,
	"requested_by_id" uuid,
	"approved_by_id" uuid,
	"approved_at" timestamp with time zone,
	"justification" text,
	"ticket" text,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"next_review_due" timestamp with time zone,
	"last_reviewed_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"live_state" "live_state" DEFAULT 'unknown' NOT NULL,
	"live_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grants_time_bound_expires" CHECK ("grants"."kind" <> 'time_bound' or "grants"."expires_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "privileged_sessions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "privileged_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"source_session_id" text NOT NULL,
	"identity_id" uuid,
	"account_id" uuid,
	"application_id" uuid,
	"entitlement_id" uuid,
	"grant_id" uuid,
	"activation_id" uuid,
	"request_id" uuid,
	"login" text,
	"target" text,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer,
	"recording_ref" text,
	"event_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "usage_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"source_event_id" text NOT NULL,
	"kind" "usage_kind" NOT NULL,
	"action" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"identity_id" uuid,
	"account_id" uuid,
	"application_id" uuid,
	"entitlement_id" uuid,
	"grant_id" uuid,
	"session_id" bigint,
	"target" text,
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"scope" jsonb NOT NULL,
	"reviewer_rule" "reviewer_rule" NOT NULL,
	"named_reviewer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"fallback_reviewer_id" uuid,
	"second_stage_rule" "reviewer_rule",
	"status" "campaign_status" DEFAULT 'draft' NOT NULL,
	"starts_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"reminder_days_before" integer[] DEFAULT '{7,1}'::integer[] NOT NULL,
	"escalate_to" text DEFAULT 'manager' NOT NULL,
	"close_policy" "close_policy" DEFAULT 'keep_and_flag' NOT NULL,
	"recurrence" "recurrence" DEFAULT 'none' NOT NULL,
	"recurrence_days" integer,
	"series_id" uuid,
	"created_by_id" uuid,
	"launched_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"item_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_item_id" uuid NOT NULL,
	"decision" "review_decision" NOT NULL,
	"actor_id" uuid NOT NULL,
	"comment" text,
	"seconds_spent" integer,
	"bulk" boolean DEFAULT false NOT NULL,
	"reassigned_to_id" uuid,
	"undone_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"grant_id" uuid,
	"identity_id" uuid NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"stage" integer DEFAULT 1 NOT NULL,
	"reviewer_id" uuid,
	"original_reviewer_id" uuid,
	"status" "review_item_status" DEFAULT 'pending' NOT NULL,
	"decision" "review_decision",
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"comment" text,
	"seconds_spent" integer,
	"bulk" boolean DEFAULT false NOT NULL,
	"recommendation" "recommendation" DEFAULT 'none' NOT NULL,
	"recommendation_reason" text,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"snapshot_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revocation_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"revocation_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"phase" text NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"outcome" text NOT NULL,
	"error" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "revocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grant_id" uuid NOT NULL,
	"activation_id" uuid,
	"cause" "revocation_cause" NOT NULL,
	"cause_ref" text,
	"status" "revocation_status" DEFAULT 'requested' NOT NULL,
	"connector_kind" "connector_kind" NOT NULL,
	"idempotency_key" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"verification" "verification_method",
	"requested_by_id" uuid,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"sla_due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "finding_kind" NOT NULL,
	"severity" "risk_level" NOT NULL,
	"status" "finding_status" DEFAULT 'open' NOT NULL,
	"dedupe_key" text NOT NULL,
	"identity_id" uuid,
	"grant_id" uuid,
	"account_id" uuid,
	"entitlement_id" uuid,
	"application_id" uuid,
	"owner_id" uuid,
	"reason" text NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"accepted_until" timestamp with time zone,
	"accepted_by_id" uuid,
	"accept_reason" text
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"actor_kind" "actor_kind" NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"on_behalf_of_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"request_id" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"scopes" text[] NOT NULL,
	"source" text,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recipient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "auth_accounts" (
	"identity_id" uuid NOT NULL,
	"type" text NOT NULL,
	"provider" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"expires_at" integer,
	"token_type" text,
	"scope" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auth_accounts_provider_provider_account_id_pk" PRIMARY KEY("provider","provider_account_id")
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"identity_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_manager_id_identities_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_owner_id_identities_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_roles" ADD CONSTRAINT "identity_roles_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_roles" ADD CONSTRAINT "identity_roles_granted_by_id_identities_id_fk" FOREIGN KEY ("granted_by_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_events" ADD CONSTRAINT "lifecycle_events_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_owners" ADD CONSTRAINT "application_owners_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_owners" ADD CONSTRAINT "application_owners_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_owner_id_identities_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sod_rules" ADD CONSTRAINT "sod_rules_entitlement_a_id_entitlements_id_fk" FOREIGN KEY ("entitlement_a_id") REFERENCES "public"."entitlements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sod_rules" ADD CONSTRAINT "sod_rules_entitlement_b_id_entitlements_id_fk" FOREIGN KEY ("entitlement_b_id") REFERENCES "public"."entitlements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_requester_id_identities_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_beneficiary_id_identities_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_request_id_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_approver_id_identities_id_fk" FOREIGN KEY ("approver_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_decided_by_id_identities_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activations" ADD CONSTRAINT "activations_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activations" ADD CONSTRAINT "activations_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_request_id_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_requests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_requested_by_id_identities_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_approved_by_id_identities_id_fk" FOREIGN KEY ("approved_by_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD CONSTRAINT "privileged_sessions_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD CONSTRAINT "privileged_sessions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD CONSTRAINT "privileged_sessions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD CONSTRAINT "privileged_sessions_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD CONSTRAINT "privileged_sessions_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD CONSTRAINT "privileged_sessions_activation_id_activations_id_fk" FOREIGN KEY ("activation_id") REFERENCES "public"."activations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privileged_sessions" ADD CONSTRAINT "privileged_sessions_request_id_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_requests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_fallback_reviewer_id_identities_id_fk" FOREIGN KEY ("fallback_reviewer_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_id_identities_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_review_item_id_review_items_id_fk" FOREIGN KEY ("review_item_id") REFERENCES "public"."review_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_actor_id_identities_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_reassigned_to_id_identities_id_fk" FOREIGN KEY ("reassigned_to_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_reviewer_id_identities_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_original_reviewer_id_identities_id_fk" FOREIGN KEY ("original_reviewer_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_decided_by_id_identities_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocation_attempts" ADD CONSTRAINT "revocation_attempts_revocation_id_revocations_id_fk" FOREIGN KEY ("revocation_id") REFERENCES "public"."revocations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocations" ADD CONSTRAINT "revocations_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocations" ADD CONSTRAINT "revocations_activation_id_activations_id_fk" FOREIGN KEY ("activation_id") REFERENCES "public"."activations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocations" ADD CONSTRAINT "revocations_requested_by_id_identities_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_owner_id_identities_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_accepted_by_id_identities_id_fk" FOREIGN KEY ("accepted_by_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_identities_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_id_identities_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_accounts" ADD CONSTRAINT "auth_accounts_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "identities_source_external_id" ON "identities" USING btree ("source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "identities_email_lower" ON "identities" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "identities_manager" ON "identities" USING btree ("manager_id");--> statement-breakpoint
CREATE INDEX "identities_owner" ON "identities" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "identities_list" ON "identities" USING btree ("display_name","id");--> statement-breakpoint
CREATE INDEX "identities_department" ON "identities" USING btree ("department");--> statement-breakpoint
CREATE INDEX "lifecycle_events_identity" ON "lifecycle_events" USING btree ("identity_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_application_username" ON "accounts" USING btree ("application_id",lower("username"));--> statement-breakpoint
CREATE INDEX "accounts_identity" ON "accounts" USING btree ("identity_id");--> statement-breakpoint
CREATE INDEX "application_owners_identity" ON "application_owners" USING btree ("identity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_name" ON "applications" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_source_external_id" ON "applications" USING btree ("source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "entitlements_application_name" ON "entitlements" USING btree ("application_id","name");--> statement-breakpoint
CREATE INDEX "entitlements_owner" ON "entitlements" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "entitlements_privileged" ON "entitlements" USING btree ("application_id") WHERE "entitlements"."privileged";--> statement-breakpoint
CREATE INDEX "credentials_identity" ON "credentials" USING btree ("identity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_fingerprint" ON "credentials" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "access_requests_beneficiary" ON "access_requests" USING btree ("beneficiary_id","created_at");--> statement-breakpoint
CREATE INDEX "access_requests_pending" ON "access_requests" USING btree ("expires_at") WHERE "access_requests"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "approval_steps_request_position" ON "approval_steps" USING btree ("request_id","position");--> statement-breakpoint
CREATE INDEX "approval_steps_approver" ON "approval_steps" USING btree ("approver_id","status");--> statement-breakpoint
CREATE INDEX "activations_grant" ON "activations" USING btree ("grant_id","starts_at");--> statement-breakpoint
CREATE INDEX "activations_identity" ON "activations" USING btree ("identity_id","starts_at");--> statement-breakpoint
CREATE INDEX "grants_identity" ON "grants" USING btree ("identity_id","status");--> statement-breakpoint
CREATE INDEX "grants_entitlement" ON "grants" USING btree ("entitlement_id","status","id");--> statement-breakpoint
CREATE INDEX "grants_list" ON "grants" USING btree ("granted_at","id");--> statement-breakpoint
CREATE INDEX "grants_expiring" ON "grants" USING btree ("expires_at") WHERE "grants"."status" = 'active' and "grants"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "grants_review_due" ON "grants" USING btree ("next_review_due") WHERE "grants"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "grants_one_live_per_kind" ON "grants" USING btree ("identity_id","entitlement_id","kind") WHERE "grants"."status" in ('active', 'pending_revocation');--> statement-breakpoint
CREATE UNIQUE INDEX "privileged_sessions_source_id" ON "privileged_sessions" USING btree ("source","source_session_id");--> statement-breakpoint
CREATE INDEX "privileged_sessions_grant" ON "privileged_sessions" USING btree ("grant_id","started_at");--> statement-breakpoint
CREATE INDEX "privileged_sessions_identity" ON "privileged_sessions" USING btree ("identity_id","started_at");--> statement-breakpoint
CREATE INDEX "privileged_sessions_entitlement" ON "privileged_sessions" USING btree ("entitlement_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_events_source_id" ON "usage_events" USING btree ("source","source_event_id");--> statement-breakpoint
CREATE INDEX "usage_events_grant" ON "usage_events" USING btree ("grant_id","occurred_at");--> statement-breakpoint
CREATE INDEX "usage_events_identity" ON "usage_events" USING btree ("identity_id","occurred_at");--> statement-breakpoint
CREATE INDEX "campaigns_status" ON "campaigns" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "review_decisions_item" ON "review_decisions" USING btree ("review_item_id","created_at");--> statement-breakpoint
CREATE INDEX "review_items_reviewer_queue" ON "review_items" USING btree ("reviewer_id","status","id");--> statement-breakpoint
CREATE INDEX "review_items_campaign" ON "review_items" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "review_items_grant" ON "review_items" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "revocation_attempts_revocation" ON "revocation_attempts" USING btree ("revocation_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "revocations_idempotency_key" ON "revocations" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "revocations_grant" ON "revocations" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "revocations_status" ON "revocations" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "findings_dedupe_key" ON "findings" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "findings_open" ON "findings" USING btree ("status","severity","first_seen_at");--> statement-breakpoint
CREATE INDEX "findings_identity" ON "findings" USING btree ("identity_id");--> statement-breakpoint
CREATE INDEX "findings_grant" ON "findings" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "audit_events_entity" ON "audit_events" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_events_occurred" ON "audit_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_active" ON "api_tokens" USING btree ("created_at") WHERE "api_tokens"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe" ON "notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_recipient" ON "notifications" USING btree ("recipient_id","created_at");--> statement-breakpoint
CREATE INDEX "auth_accounts_identity" ON "auth_accounts" USING btree ("identity_id");--> statement-breakpoint
CREATE INDEX "auth_sessions_identity" ON "auth_sessions" USING btree ("identity_id");