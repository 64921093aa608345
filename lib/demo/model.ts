/**
 * Shared shapes of the generator. Everything about identities, applications and entitlements is
 * held in compact arrays (a few MB at 100,000 identities); grants, activations, sessions and
 * usage events are never held at all but recomputed per identity from seeded streams.
 */
import { CATALOGUE, type AppFamily, type Connector, type Risk } from "./catalogue";
import { hashString } from "./random";

export type Row = Record<string, unknown>;

export interface TableSpec {
  table: string;
  columns: readonly string[];
  rows: () => Iterable<Row>;
}

export type Scale = "demo" | "large" | { identities: number; applications: number; grants: number; usageEvents: number; sessions?: number };

export interface Profile {
  name: string;
  identities: number;
  nonHumans: number;
  applications: number;
  grants: number;
  usageEvents: number;
  sessions: number;
  /** How far back activations, sessions and usage events go. */
  windowDays: number;
  leaverRate: number;
  suspendedRate: number;
  contractorRate: number;
  thirdPartyRate: number;
  /** Share of grant rows that are history (revoked or expired). */
  historyRate: number;
  /**
   * Whether drift also occurs at background rates (leavers keeping access, ownerless NHIs,
   * orphan accounts) on top of the planted cases. Off for the demo so its findings are exactly
   * the documented ones.
   */
  naturalDrift: boolean;
  /** Small raw payloads on usage events; off at scale where they would dominate the table size. */
  rawEvidence: boolean;
}

const BASE = { leaverRate: 0.04, suspendedRate: 0, contractorRate: 0.1, thirdPartyRate: 0.05, historyRate: 0.07 };

export const DEMO_PROFILE: Profile = {
  ...BASE,
  name: "demo",
  identities: 345,
  nonHumans: 45,
  applications: CATALOGUE.length,
  grants: 2_600,
  usageEvents: 4_000,
  sessions: 600,
  windowDays: 180,
  naturalDrift: false,
  rawEvidence: true,
};

export const LARGE_PROFILE: Profile = {
  ...BASE,
  name: "large",
  identities: 100_000,
  nonHumans: 33_333,
  applications: 2_000,
  grants: 2_000_000,
  usageEvents: 10_000_000,
  sessions: 1_000_000,
  windowDays: 365,
  suspendedRate: 0.005,
  naturalDrift: true,
  rawEvidence: false,
};

export function resolveProfile(scale: Scale): Profile {
  if (scale === "demo") return DEMO_PROFILE;
  if (scale === "large") return LARGE_PROFILE;
  const { identities, applications, grants, usageEvents } = scale;
  for (const [name, value] of Object.entries({ identities, applications, grants, usageEvents })) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`scale.${name} must be a non-negative integer, got ${value}`);
  }
  if (identities < 150) throw new Error(`scale.identities must be at least 150 (the fixed demo people and planted drift need room), got ${identities}`);
  if (applications < CATALOGUE.length) throw new Error(`scale.applications must be at least ${CATALOGUE.length} (the application catalogue), got ${applications}`);
  return {
    ...BASE,
    name: "custom",
    identities,
    applications,
    grants,
    usageEvents,
    nonHumans: Math.round(identities / 3),
    sessions: scale.sessions ?? Math.round(usageEvents / 10),
    windowDays: 365,
    suspendedRate: 0.005,
    naturalDrift: identities > 1_000,
    rawEvidence: false,
  };
}

export const TYPES = ["employee", "contractor", "third_party", "service_account", "api_key", "token", "workload", "ai_agent"] as const;
export type IdentityType = (typeof TYPES)[number];
export const T = { employee: 0, contractor: 1, third_party: 2, service_account: 3, api_key: 4, token: 5, workload: 6, ai_agent: 7 } as const;
export const STATUSES = ["active", "suspended", "leaver"] as const;
export const ST = { active: 0, suspended: 1, leaver: 2 } as const;
export const isHumanType = (type: number) => type <= T.third_party;

export interface Roster {
  count: number;
  humans: number;
  type: Uint8Array;
  dept: Uint8Array;
  status: Uint8Array;
  manager: Int32Array;
  owner: Int32Array;
  startedAt: Float64Array;
  /** NaN when the identity has not left. */
  leftAt: Float64Array;
  isManager: Uint8Array;
  /** Engineers on on-call rotations: more privileged grants, more sessions. */
  privileged: Uint8Array;
  /** A leaver whose access was never removed (drift). */
  keepsGrants: Uint8Array;
  /** How busy the identity is, scaling its sessions and usage events. */
  activity: Float64Array;
  /** grantStart[i]..grantStart[i + 1] are identity i's global grant indexes. */
  grantStart: Float64Array;
  vendor: Int8Array;
  displayName: string[];
  email: (string | null)[];
  userName: string[];
  title: (string | null)[];
  description: (string | null)[];
}

export type GrantKind = "standing" | "time_bound" | "eligible";
export type GrantSource = "request" | "import" | "scim" | "direct";

export interface AppInfo {
  index: number;
  id: string;
  name: string;
  description: string;
  risk: Risk;
  connector: Connector;
  family: AppFamily;
  popularity: number;
  /** Affinity per department index. */
  affinity: Float64Array;
  nhi: number;
  entitlements: number[];
  owners: number[];
}

export interface EntInfo {
  index: number;
  id: string;
  app: number;
  name: string;
  kind: "role" | "group" | "permission" | "policy";
  description: string;
  privileged: boolean;
  risk: Risk;
  breakGlass: boolean;
  maxMinutes: number | null;
  weight: number;
  owner: number;
  externalId: string;
}

/** A grant a fixed identity always holds, possibly carrying planted drift. */
export interface Pin {
  app: string;
  ent: string;
  kind: GrantKind;
  source?: GrantSource;
  grantedDaysAgo?: number;
  /** Time-bound grant that expired this many days ago yet is still active and live (drift 2). */
  expiredDaysAgo?: number;
  /** No session or usage event ever (drift 7 when privileged and standing). */
  unused?: boolean;
  activation?: PlantedActivation;
  /** The grant was revoked this many days ago (its revocation is `revocation`, verified). */
  revokedDaysAgo?: number;
  /** A revocation of this grant (drift 3 when it is past its SLA and not verified; with revokedDaysAgo, verified). */
  revocation?: PlantedRevocation;
}

export interface PlantedRevocation {
  status: "failed" | "verified";
  /** Fixed person key of the admin who asked for it. */
  by: string;
  requestedHoursAgo: number;
  attempts: number;
  lastError?: string;
  reason: string;
}

export interface PlantedActivation {
  startedMinutesAgo: number;
  minutes: number;
  sessionMinutes: number;
  breakGlass?: boolean;
  incidentId?: string;
  justification: string;
  ticket: string;
  /** Replace the grant's generated activation history instead of adding to it. */
  only?: boolean;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365 * DAY;

/** Stream ids: one per kind of entity, so adding a table never reshuffles another's values. */
const STREAMS = [
  "identity",
  "roster",
  "app",
  "entitlement",
  "sod",
  "account",
  "orphan",
  "credential",
  "request",
  "step",
  "grant",
  "holdings",
  "activation",
  "session",
  "event",
  "evidence",
  "revocation",
] as const;
export const S = Object.fromEntries(STREAMS.map((name) => [name, hashString(name)])) as Record<(typeof STREAMS)[number], number>;

export const iso = (ms: number) => new Date(ms);
export const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;
export const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Everything the table generators share; built once per generateOrganisation call. */
export interface Ctx {
  seed: number;
  now: number;
  profile: Profile;
  roster: Roster;
  heads: number[];
  fixed: Map<string, number>;
  apps: AppInfo[];
  ents: EntInfo[];
  /** "app/entitlement" -> entitlement index, for the catalogue. */
  entByName: Map<string, number>;
  sodPartners: Map<number, number[]>;
  /** Fixed identity -> its pinned grants (resolved entitlement indexes). */
  pins: Map<number, { ent: number; pin: Pin }[]>;
  /** Fixed identity -> entitlements its generated grants must avoid. */
  avoid: Map<number, Set<number>>;
  /** Cumulative entitlement weights per pick profile (lazily built). */
  pickTables: Map<number, Float64Array>;
}
