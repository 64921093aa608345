/**
 * One identity's grants, recomputed on demand. holdings(ctx, i) is a pure function of the seed,
 * `now` and i, so the accounts, requests, grants and evidence passes each call it again instead
 * of keeping two million grants in memory; the grant at global index k has the same id and
 * attributes whichever pass asks.
 */
import { DEPARTMENTS, REQUEST_REASONS, departmentIndex } from "./names";
import { EXECUTIVE } from "./generate-people";
import { cumulative, rngFor, type Rng } from "./random";
import { DAY, HOUR, MINUTE, S, ST, T, YEAR, isHumanType, type Ctx, type GrantKind, type GrantSource, type Pin } from "./model";

export interface Held {
  /** Global grant index: the grant's uuid and its request's uuid derive from it. */
  index: number;
  ent: number;
  app: number;
  kind: GrantKind;
  status: "active" | "pending_revocation" | "revoked" | "expired";
  source: GrantSource;
  grantedAt: number;
  expiresAt: number | null;
  endedAt: number | null;
  requester: number;
  /** Approver per step (manager, app owner); -1 = step skipped. */
  approvers: [number, number];
  stepTimes: [number, number];
  requestedAt: number;
  justification: string | null;
  ticket: string | null;
  lastReviewedAt: number | null;
  nextReviewDue: number | null;
  liveState: "present" | "absent" | "unknown";
  liveCheckedAt: number | null;
  /** dormant = privileged standing access not used in the last 90+ days; none = never used. */
  usage: "normal" | "dormant" | "none";
  pin?: Pin;
}

const PRIVILEGED_PROFILE = EXECUTIVE + 1;
const NHI_PROFILE = EXECUTIVE + 2;
/** Anything anyone in the company might hold: the fallback once an identity's usual access is used up. */
const BROAD_PROFILE = EXECUTIVE + 3;
const ENGINEERING = departmentIndex("Engineering");
const SECURITY = departmentIndex("Security");
const IT = departmentIndex("IT");

function pickTable(ctx: Ctx, profile: number): Float64Array {
  let table = ctx.pickTables.get(profile);
  if (table) return table;
  const weights = ctx.ents.map((e) => {
    const app = ctx.apps[e.app]!;
    if (profile === BROAD_PROFILE) return e.breakGlass ? 0 : app.popularity * e.weight * (e.privileged ? 0.1 : 1);
    if (profile === NHI_PROFILE) return e.breakGlass ? 0 : app.nhi * app.popularity * (e.weight >= 10 ? 0.02 : 1) * (e.privileged ? 0.6 : 1);
    const affinity = profile === PRIVILEGED_PROFILE ? Math.max(app.affinity[ENGINEERING]!, app.affinity[SECURITY]!) : app.affinity[profile]!;
    const privilege = profile === PRIVILEGED_PROFILE ? 10 : 3 * (DEPARTMENTS[profile]?.privilegeAffinity ?? 0.1);
    return app.popularity * affinity * e.weight * (e.privileged ? privilege : 1) * (e.breakGlass ? (profile === PRIVILEGED_PROFILE ? 0.5 : 0.05) : 1);
  });
  table = cumulative(weights);
  ctx.pickTables.set(profile, table);
  return table;
}

/** A manager, app owner or fallback who is neither the beneficiary nor anyone already in the chain. */
function approverFor(ctx: Ctx, app: number, exclude: number[], r: Rng): number {
  const owners = ctx.apps[app]!.owners.filter((o) => !exclude.includes(o));
  if (owners.length) return owners[r.int(0, owners.length - 1)]!;
  for (const fallback of [ctx.heads[SECURITY]!, ctx.heads[IT]!, 0]) if (!exclude.includes(fallback)) return fallback;
  throw new Error("no approver available");
}

export function holdings(ctx: Ctx, i: number): Held[] {
  const { roster } = ctx;
  const r = rngFor(ctx.seed, S.holdings, i);
  const first = roster.grantStart[i]!;
  const n = roster.grantStart[i + 1]! - first;
  const type = roster.type[i]!;
  const human = isHumanType(type);
  const profile = !human ? NHI_PROFILE : roster.privileged[i] ? PRIVILEGED_PROFILE : roster.dept[i]!;
  const table = pickTable(ctx, profile);
  const broad = pickTable(ctx, BROAD_PROFILE);
  const avoid = ctx.avoid.get(i);
  const held = new Set<number>();
  const out: Held[] = [];
  for (const { ent, pin } of ctx.pins.get(i) ?? []) {
    const g = makeGrant(ctx, i, first + out.length, ent, r, false, pin);
    out.push(g);
    if (g.status === "active") held.add(ent);
  }
  while (out.length < n) {
    let ent = -1;
    for (let tries = 0; tries < 16 && ent < 0; tries++) {
      const candidate = r.pickCumulative(tries < 8 ? table : broad);
      const conflict = ctx.sodPartners.get(candidate)?.some((p) => held.has(p));
      if (!held.has(candidate) && !conflict && !avoid?.has(candidate)) ent = candidate;
    }
    // When nothing new fits, the slot becomes history of access already held: still a real row.
    const history = ent < 0 || r.chance(ctx.profile.historyRate);
    if (ent < 0) ent = out[r.int(0, out.length - 1)]?.ent ?? r.pickCumulative(table);
    const g = makeGrant(ctx, i, first + out.length, ent, r, history);
    out.push(g);
    if (g.status === "active") held.add(ent);
  }
  return out;
}

function makeGrant(ctx: Ctx, i: number, index: number, ent: number, r: Rng, history: boolean, pin?: Pin): Held {
  const { roster, now } = ctx;
  const e = ctx.ents[ent]!;
  const app = ctx.apps[e.app]!;
  const type = roster.type[i]!;
  const human = isHumanType(type);
  const leaver = ctx.roster.status[i] === ST.leaver;
  let kind: GrantKind =
    pin?.kind ??
    (e.breakGlass
      ? "eligible"
      : !human
        ? r.chance(0.9)
          ? "standing"
          : "time_bound"
        : e.privileged
          ? r.weighted([
              ["eligible", roster.privileged[i] ? 60 : 50],
              ["standing", 38],
              ["time_bound", 12],
            ] as const)
          : r.chance(0.85)
            ? "standing"
            : "time_bound");
  // A leaver who kept access keeps what they had when they left; time-bound grants would need their own story.
  if (leaver && !pin && kind === "time_bound") kind = "standing";
  const owner = roster.owner[i]!;
  const source: GrantSource =
    pin?.source ??
    (!human
      ? owner >= 0
        ? r.weighted([
            ["import", 55],
            ["direct", 30],
            ["request", 15],
          ] as const)
        : "import"
      : type === T.third_party
        ? r.weighted([
            ["request", 70],
            ["direct", 20],
            ["import", 10],
          ] as const)
        : r.weighted([
            ["request", e.privileged ? 60 : 40],
            ["scim", 25],
            ["import", 20],
            ["direct", 10],
          ] as const));

  const left = roster.leftAt[i]!;
  const removed = leaver && !roster.keepsGrants[i];
  const start = Math.max(roster.startedAt[i]! + DAY, now - 3 * YEAR);
  let end = leaver ? left - DAY : now - HOUR;
  if (pin && !pin.grantedDaysAgo) end = Math.min(end, Math.max(start + DAY, now - 30 * DAY));
  if (end <= start) end = start + HOUR;

  const duration = r.int(7, 90) * DAY;
  let grantedAt: number;
  let expiresAt: number | null = null;
  let endedAt: number | null = null;
  let status: Held["status"] = "active";
  if (pin?.grantedDaysAgo) grantedAt = now - pin.grantedDaysAgo * DAY;
  else if (kind === "time_bound" && !history && !removed) grantedAt = Math.max(start, now - r.between(0.1, duration / DAY - 0.5) * DAY);
  else grantedAt = r.between(start, Math.max(start, end - (kind === "time_bound" && history ? duration : 2 * DAY)));
  grantedAt = Math.floor(grantedAt / 1000) * 1000;
  if (kind === "time_bound") expiresAt = pin?.expiredDaysAgo ? now - pin.expiredDaysAgo * DAY : grantedAt + duration;
  if (removed) {
    endedAt = Math.min(now - HOUR, left + r.between(0, 2) * DAY);
    status = expiresAt !== null && expiresAt < endedAt ? "expired" : "revoked";
    if (status === "expired") endedAt = expiresAt;
  } else if (history) {
    if (expiresAt !== null && expiresAt < now) [status, endedAt] = ["expired", expiresAt];
    else [status, endedAt] = ["revoked", r.between(grantedAt + DAY, Math.max(grantedAt + DAY, end))];
  }

  // Planted revocations: one that never got applied leaves the grant on its way out; a verified one ended it.
  if (pin?.revokedDaysAgo) [status, endedAt] = ["revoked", now - pin.revokedDaysAgo * DAY];
  else if (pin?.revocation) status = "pending_revocation";

  let requester = -1;
  let approvers: [number, number] = [-1, -1];
  let stepTimes: [number, number] = [0, 0];
  let requestedAt = 0;
  if (source === "request") {
    requester = human ? i : owner;
    const manager = human ? roster.manager[i]! : roster.manager[owner]!;
    const managerStep = manager >= 0 && manager !== i && manager !== requester ? manager : -1;
    approvers = [managerStep, approverFor(ctx, e.app, [i, requester, managerStep], r)];
    const approvedAt = grantedAt - r.between(1, 30) * MINUTE;
    const managerAt = approvedAt - r.between(10 * MINUTE, 2 * DAY);
    stepTimes = [managerStep >= 0 ? managerAt : 0, approvedAt];
    requestedAt = managerAt - r.between(5 * MINUTE, DAY);
  }
  const dept = DEPARTMENTS[roster.dept[i]!];
  const ticket = source === "request" || (e.privileged && source === "direct") ? `${dept?.ticket ?? "IT"}-${r.int(1000, 9999)}` : null;

  let lastReviewedAt: number | null = null;
  let nextReviewDue: number | null = null;
  if (status === "active") {
    const cycle = (e.privileged ? 90 : 365) * DAY;
    if (grantedAt < now - cycle) lastReviewedAt = Math.max(grantedAt + DAY, now - r.between(DAY, cycle * 1.15));
    nextReviewDue = (lastReviewedAt ?? grantedAt) + cycle;
  }
  const connected = app.connector !== "manual";
  let liveState: Held["liveState"];
  let liveCheckedAt: number | null;
  if (status === "active" || status === "pending_revocation") {
    liveState = connected || pin?.expiredDaysAgo || r.chance(0.5) ? "present" : "unknown";
    liveCheckedAt = liveState === "present" ? now - r.between(0.5, connected ? 20 : 24 * 30) * HOUR : null;
  } else {
    liveState = connected ? "absent" : "unknown";
    liveCheckedAt = connected ? endedAt! + HOUR : null;
  }
  const standingPrivilege = e.privileged && kind !== "eligible";
  const usage = pin?.unused ? "none" : standingPrivilege && !pin && r.chance(0.2) ? "dormant" : "normal";
  return {
    index,
    ent,
    app: e.app,
    kind,
    status,
    source,
    grantedAt,
    expiresAt,
    endedAt,
    requester,
    approvers,
    stepTimes,
    requestedAt,
    justification: source === "request" ? r.pick(REQUEST_REASONS) : null,
    ticket,
    lastReviewedAt,
    nextReviewDue,
    liveState,
    liveCheckedAt,
    usage,
    pin,
  };
}

/** When the grant could be used: [from, to), clipped to the evidence window; empty when to <= from. */
export function usableWindow(ctx: Ctx, i: number, g: Held): [number, number] {
  const from = Math.max(g.grantedAt, ctx.now - ctx.profile.windowDays * DAY);
  let to = Math.min(ctx.now, g.endedAt ?? ctx.now, g.expiresAt ?? ctx.now);
  const left = ctx.roster.leftAt[i]!;
  if (!Number.isNaN(left) && !ctx.roster.keepsGrants[i]) to = Math.min(to, left);
  if (g.usage === "dormant") to = Math.min(to, ctx.now - 100 * DAY);
  if (g.usage === "none") to = from;
  return [from, to];
}
