/**
 * The deterministic demo and scale data generator. generateOrganisation is pure: the same seed
 * and `now` give identical rows, ids included, and each table's rows are produced lazily by a
 * generator, so a 10-million-row table streams straight into COPY without sitting in memory.
 *
 * Rows use the database's snake_case column names. Tables are listed in foreign-key order.
 * What is planted for drift detection (and the fixed people) is documented in ./planted.ts.
 */
import { accountRows, approvalStepRows, credentialRows, grantRows, requestRows } from "./generate-access";
import { applicationOwnerRows, applicationRows, buildApps, entitlementRows, sodRuleEntitlementRows, sodRuleRows } from "./generate-apps";
import { buildPeople, identityRoleRows, identityRows } from "./generate-people";
import { revocationAttemptRows, revocationRows } from "./generate-revocations";
import { activationRows, sessionRows, usageEventRows } from "./generate-usage";
import { FIXED_NHIS, FIXED_PEOPLE } from "./planted";
import { normaliseSeed } from "./random";
import { resolveProfile, type Ctx, type Pin, type Profile, type Scale, type TableSpec } from "./model";

export type { Profile, Row, Scale, TableSpec } from "./model";
export { DEMO_PROFILE, LARGE_PROFILE, resolveProfile } from "./model";

export const DEFAULT_SEED = 20_240_611;

export const COLUMNS = {
  identities: [
    "id",
    "source",
    "external_id",
    "kind",
    "type",
    "display_name",
    "email",
    "user_name",
    "status",
    "department",
    "title",
    "organization",
    "manager_id",
    "owner_id",
    "description",
    "started_on",
    "left_at",
    "created_at",
    "updated_at",
  ],
  identity_roles: ["identity_id", "role", "granted_by_id", "granted_at"],
  applications: [
    "id",
    "source",
    "external_id",
    "name",
    "description",
    "risk_tier",
    "connector_kind",
    "connector_config",
    "revocation_sla_hours",
    "credential_rotation_days",
    "created_at",
    "updated_at",
  ],
  application_owners: ["application_id", "identity_id", "created_at"],
  entitlements: [
    "id",
    "application_id",
    "external_id",
    "name",
    "kind",
    "description",
    "privileged",
    "risk_level",
    "owner_id",
    "break_glass",
    "allowed_kinds",
    "max_duration_minutes",
    "requires_ticket",
    "approval_chain",
    "two_person_rule",
    "created_at",
    "updated_at",
  ],
  sod_rules: ["id", "name", "description", "severity", "created_at", "updated_at"],
  sod_rule_entitlements: ["rule_id", "entitlement_id"],
  accounts: ["id", "application_id", "identity_id", "username", "external_id", "status", "last_seen_at", "last_login_at", "created_at"],
  credentials: ["id", "identity_id", "application_id", "kind", "fingerprint", "stored_in", "scopes", "issued_at", "last_rotated_at", "expires_at", "last_used_at", "rotation_days", "created_at"],
  access_requests: [
    "id",
    "requester_id",
    "beneficiary_id",
    "entitlement_id",
    "kind",
    "break_glass",
    "duration_minutes",
    "starts_at",
    "justification",
    "ticket",
    "status",
    "expires_at",
    "decided_at",
    "created_at",
  ],
  approval_steps: ["id", "request_id", "position", "rule", "approver_id", "status", "decided_by_id", "decided_at", "approved_duration_minutes", "comment"],
  grants: [
    "id",
    "identity_id",
    "entitlement_id",
    "account_id",
    "kind",
    "status",
    "source",
    "external_id",
    "request_id",
    "requested_by_id",
    "approved_by_id",
    "approved_at",
    "justification",
    "ticket",
    "granted_at",
    "expires_at",
    "next_review_due",
    "last_reviewed_at",
    "ended_at",
    "live_state",
    "live_checked_at",
    "created_at",
    "updated_at",
  ],
  revocations: [
    "id",
    "grant_id",
    "cause",
    "cause_ref",
    "status",
    "connector_kind",
    "idempotency_key",
    "attempts",
    "last_error",
    "verification",
    "requested_by_id",
    "requested_at",
    "dispatched_at",
    "applied_at",
    "verified_at",
    "failed_at",
    "sla_due_at",
  ],
  revocation_attempts: ["id", "revocation_id", "attempt", "phase", "request", "response", "outcome", "error", "started_at", "finished_at"],
  activations: ["id", "grant_id", "identity_id", "status", "starts_at", "ends_at", "ended_at", "justification", "ticket", "break_glass", "incident_id", "created_at"],
  privileged_sessions: [
    "source",
    "source_session_id",
    "identity_id",
    "account_id",
    "application_id",
    "entitlement_id",
    "grant_id",
    "activation_id",
    "request_id",
    "login",
    "target",
    "started_at",
    "ended_at",
    "duration_seconds",
    "recording_ref",
    "event_ids",
    "created_at",
    "account_name",
    "participants",
    "used_without_approval",
  ],
  usage_events: [
    "source",
    "source_event_id",
    "kind",
    "action",
    "occurred_at",
    "identity_id",
    "account_id",
    "application_id",
    "entitlement_id",
    "grant_id",
    "session_id",
    "target",
    "raw",
    "created_at",
  ],
} as const satisfies Record<string, readonly string[]>;

export type TableName = keyof typeof COLUMNS;

export interface GenerateOptions {
  seed?: number;
  /** The moment the organisation is generated "as of"; all history lies before it. */
  now: Date | number;
  scale: Scale;
}

export interface Organisation {
  profile: Profile;
  seed: number;
  now: Date;
  /** In foreign-key order: load them in this order. */
  tables: (TableSpec & { table: TableName })[];
  /** Identity index of each fixed person and NHI by key (see ./planted.ts), e.g. for tests. */
  fixed: ReadonlyMap<string, number>;
}

export function buildContext(options: GenerateOptions): Ctx {
  const seed = normaliseSeed(options.seed ?? DEFAULT_SEED);
  const now = typeof options.now === "number" ? options.now : options.now.getTime();
  if (!Number.isFinite(now)) throw new Error("generateOrganisation: now must be a valid date");
  const profile = resolveProfile(options.scale);
  const people = buildPeople(seed, now, profile);
  const apps = buildApps(seed, profile.applications, people.roster, people.fixed);
  const entIndex = (owner: string, p: Pin | string) => {
    const key = typeof p === "string" ? p : `${p.app}/${p.ent}`;
    const ent = apps.entByName.get(key);
    if (ent === undefined) throw new Error(`planted data for ${owner} names an unknown entitlement ${key}`);
    return ent;
  };
  const pins: Ctx["pins"] = new Map();
  const avoid: Ctx["avoid"] = new Map();
  for (const spec of [...FIXED_PEOPLE, ...FIXED_NHIS]) {
    const i = people.fixed.get(spec.key)!;
    pins.set(
      i,
      spec.pins.map((pin) => ({ ent: entIndex(spec.key, pin), pin })),
    );
    if ("avoid" in spec && spec.avoid) avoid.set(i, new Set(spec.avoid.map((key) => entIndex(spec.key, key))));
  }
  return {
    seed,
    now,
    profile,
    roster: people.roster,
    heads: people.heads,
    fixed: people.fixed,
    apps: apps.apps,
    ents: apps.ents,
    entByName: apps.entByName,
    sodPartners: apps.sodPartners,
    pins,
    avoid,
    pickTables: new Map(),
  };
}

export function generateOrganisation(options: GenerateOptions): Organisation {
  const ctx = buildContext(options);
  const { seed, now, roster, apps, ents, entByName } = ctx;
  const spec = (table: TableName, rows: () => Iterable<Record<string, unknown>>) => ({ table, columns: COLUMNS[table], rows });
  return {
    profile: ctx.profile,
    seed,
    now: new Date(now),
    fixed: ctx.fixed,
    tables: [
      spec("identities", () => identityRows(seed, roster)),
      spec("identity_roles", () => identityRoleRows(seed, now, ctx.fixed)),
      spec("applications", () => applicationRows(apps, now)),
      spec("application_owners", () => applicationOwnerRows(seed, apps, now)),
      spec("entitlements", () => entitlementRows(seed, apps, ents, now)),
      spec("sod_rules", () => sodRuleRows(seed, now)),
      spec("sod_rule_entitlements", () => sodRuleEntitlementRows(seed, ents, entByName)),
      spec("accounts", () => accountRows(ctx)),
      spec("credentials", () => credentialRows(ctx)),
      spec("access_requests", () => requestRows(ctx)),
      spec("approval_steps", () => approvalStepRows(ctx)),
      spec("grants", () => grantRows(ctx)),
      spec("revocations", () => revocationRows(ctx)),
      spec("revocation_attempts", () => revocationAttemptRows(ctx)),
      spec("activations", () => activationRows(ctx)),
      spec("privileged_sessions", () => sessionRows(ctx)),
      spec("usage_events", () => usageEventRows(ctx)),
    ],
  };
}
