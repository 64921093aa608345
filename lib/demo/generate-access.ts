/**
 * Row generators for accounts, credentials, access requests, approval steps and grants. Each
 * walks the identities in order and recomputes their holdings, so memory stays flat however
 * many grants the scale asks for.
 */
import { MANAGER_COMMENTS, OWNER_COMMENTS } from "./names";
import { holdings, type Held } from "./generate-grants";
import { PLANTED_ORPHANS, PLANTED_PENDING_REQUESTS, PLANTED_STALE_CREDENTIAL } from "./planted";
import { rngFor, uuidFor } from "./random";
import { DAY, HOUR, MINUTE, S, ST, T, isHumanType, iso, type Ctx, type Row } from "./model";

const identityId = (ctx: Ctx, i: number) => (i < 0 ? null : uuidFor(ctx.seed, S.identity, i));
export const grantId = (ctx: Ctx, g: Held) => uuidFor(ctx.seed, S.grant, g.index);
export const accountId = (ctx: Ctx, i: number, app: number) => uuidFor(ctx.seed, S.account, i, app);
export const requestId = (ctx: Ctx, g: Held) => (g.source === "request" ? uuidFor(ctx.seed, S.request, g.index) : null);

/** The account name an application would show: unix-style inside infrastructure, the email elsewhere. */
export function username(ctx: Ctx, i: number, app: number): string {
  const { roster } = ctx;
  if (!isHumanType(roster.type[i]!)) return roster.userName[i]!;
  const email = roster.email[i]!;
  if (!email.endsWith("@accord.example")) return email;
  const local = email.slice(0, email.indexOf("@"));
  const family = ctx.apps[app]!.family;
  if (family === "db") return local.replace(/[.-]/g, "_");
  return family === "aws" || family === "k8s" || family === "vault" || family === "teleport" ? local : email;
}

export function* accountRows(ctx: Ctx): Generator<Row> {
  const { roster, now } = ctx;
  for (let i = 0; i < roster.count; i++) {
    const firstGrant = new Map<number, number>();
    for (const g of holdings(ctx, i)) firstGrant.set(g.app, Math.min(firstGrant.get(g.app) ?? Infinity, g.grantedAt));
    const gone = (roster.status[i] === ST.leaver && !roster.keepsGrants[i]) || roster.status[i] === ST.suspended;
    const left = roster.leftAt[i]!;
    for (const [app, created] of firstGrant) {
      const r = rngFor(ctx.seed, S.account, i, app);
      const lastLogin = Number.isNaN(left) ? now - r.logUniform(HOUR, 60 * DAY) : left - r.between(0, 10) * DAY;
      yield {
        id: accountId(ctx, i, app),
        application_id: ctx.apps[app]!.id,
        identity_id: identityId(ctx, i),
        username: username(ctx, i, app),
        external_id: null,
        status: gone ? "disabled" : "active",
        last_seen_at: iso(now - r.between(1, 24) * HOUR),
        last_login_at: iso(Math.max(created, lastLogin)),
        created_at: iso(created),
      };
    }
  }
  // Orphans: accounts nobody can be found for (planted, plus a background rate at scale).
  for (const app of ctx.apps) {
    const r = rngFor(ctx.seed, S.orphan, app.index);
    const names: [string, number][] = PLANTED_ORPHANS.filter((o) => o.app === app.name).map((o) => [o.username, o.lastLoginDaysAgo]);
    const extra = ctx.profile.naturalDrift ? r.int(0, 2) : 0;
    for (let k = 0; k < extra; k++) names.push([`legacy-${k}-${r.hex(4)}`, r.int(30, 900)]);
    for (const [k, [name, days]] of names.entries()) {
      yield {
        id: uuidFor(ctx.seed, S.orphan, app.index, k),
        application_id: app.id,
        identity_id: null,
        username: name,
        external_id: null,
        status: "active",
        last_seen_at: iso(now - r.between(1, 24) * HOUR),
        last_login_at: iso(now - days * DAY),
        created_at: iso(now - (days + 200) * DAY),
      };
    }
  }
}

const CREDENTIAL_KIND: Record<number, string[]> = {
  [T.service_account]: ["access_key", "ssh_key", "password"],
  [T.api_key]: ["api_key"],
  [T.token]: ["token"],
  [T.workload]: ["certificate"],
  [T.ai_agent]: ["api_key", "token"],
};
const STORES = ["vault:secret/data/{name}", "aws-secrets-manager:prod/{name}", "github-actions:accord/{name}", "k8s-secret:prod-eu-1/{name}", "1password:Platform/{name}"];

export function* credentialRows(ctx: Ctx): Generator<Row> {
  const { roster, now } = ctx;
  const stale = ctx.fixed.get(PLANTED_STALE_CREDENTIAL.nhi);
  for (let i = roster.humans; i < roster.count; i++) {
    const r = rngFor(ctx.seed, S.credential, i);
    const held = holdings(ctx, i);
    const type = roster.type[i]!;
    const count = type === T.service_account && r.chance(0.4) ? 2 : 1;
    for (let k = 0; k < count; k++) {
      const g = held.length ? held[r.int(0, held.length - 1)]! : null;
      const app = g ? ctx.apps[g.app]! : null;
      const kind = r.pick(CREDENTIAL_KIND[type]!);
      const issuedAt = r.between(roster.startedAt[i]!, now - DAY);
      const rotatedAgo = i === stale && k === 0 ? PLANTED_STALE_CREDENTIAL.rotatedDaysAgo * DAY : r.chance(0.7) ? r.between(1, 85) * DAY : r.between(91, 500) * DAY;
      const rotated = Math.max(issuedAt, now - rotatedAgo);
      const bytes = Buffer.alloc(32);
      for (let w = 0; w < 8; w++) bytes.writeUInt32BE(r.next(), w * 4);
      yield {
        id: uuidFor(ctx.seed, S.credential, i, k),
        identity_id: identityId(ctx, i),
        application_id: app?.id ?? null,
        kind,
        fingerprint: `SHA256:${bytes.toString("base64").replace(/=+$/, "")}`,
        stored_in: r.pick(STORES).replace("{name}", roster.userName[i]!),
        scopes: app ? [`${app.name.toLowerCase().replace(/\s+/g, "-")}:${ctx.ents[g!.ent]!.name}`] : [],
        issued_at: iso(issuedAt),
        last_rotated_at: rotated > issuedAt ? iso(rotated) : null,
        expires_at: kind === "certificate" ? iso(rotated + 365 * DAY) : kind === "token" ? iso(rotated + 180 * DAY) : null,
        last_used_at: iso(now - r.logUniform(MINUTE, 30 * DAY)),
        rotation_days: app?.risk === "critical" ? 30 : null,
        created_at: iso(issuedAt),
      };
    }
  }
}

function durationMinutes(ctx: Ctx, g: Held): number | null {
  if (g.kind === "time_bound") return Math.round((g.expiresAt! - g.grantedAt) / MINUTE);
  return g.kind === "eligible" ? (ctx.ents[g.ent]!.maxMinutes ?? 480) : null;
}

export function* requestRows(ctx: Ctx): Generator<Row> {
  for (let i = 0; i < ctx.roster.count; i++) {
    for (const g of holdings(ctx, i)) {
      if (g.source !== "request") continue;
      yield {
        id: requestId(ctx, g),
        requester_id: identityId(ctx, g.requester),
        beneficiary_id: identityId(ctx, i),
        entitlement_id: ctx.ents[g.ent]!.id,
        kind: g.kind,
        break_glass: false,
        duration_minutes: durationMinutes(ctx, g),
        starts_at: null,
        justification: g.justification,
        ticket: g.ticket,
        status: "fulfilled",
        expires_at: iso(g.requestedAt + 7 * DAY),
        decided_at: iso(g.stepTimes[1]),
        created_at: iso(g.requestedAt),
      };
    }
  }
  for (const [k, p] of PLANTED_PENDING_REQUESTS.entries()) {
    const who = ctx.fixed.get(p.who)!;
    const created = ctx.now - p.hoursAgo * HOUR;
    yield {
      id: uuidFor(ctx.seed, S.request, k, 1),
      requester_id: identityId(ctx, who),
      beneficiary_id: identityId(ctx, who),
      entitlement_id: ctx.ents[ctx.entByName.get(`${p.app}/${p.ent}`)!]!.id,
      kind: p.kind,
      break_glass: false,
      duration_minutes: p.minutes,
      starts_at: null,
      justification: p.justification,
      ticket: p.ticket,
      status: "pending",
      expires_at: iso(created + 7 * DAY),
      decided_at: null,
      created_at: iso(created),
    };
  }
}

export function* approvalStepRows(ctx: Ctx): Generator<Row> {
  for (let i = 0; i < ctx.roster.count; i++) {
    for (const g of holdings(ctx, i)) {
      if (g.source !== "request") continue;
      const r = rngFor(ctx.seed, S.step, g.index);
      const minutes = durationMinutes(ctx, g);
      for (const position of [1, 2] as const) {
        const approver = g.approvers[position - 1]!;
        const skipped = approver < 0;
        yield {
          id: uuidFor(ctx.seed, S.step, g.index, position),
          request_id: requestId(ctx, g),
          position,
          rule: position === 1 ? "manager" : "app_owner",
          approver_id: identityId(ctx, approver),
          status: skipped ? "skipped" : "approved",
          decided_by_id: identityId(ctx, approver),
          decided_at: skipped ? null : iso(g.stepTimes[position - 1]!),
          approved_duration_minutes: skipped ? null : minutes,
          comment: skipped ? "No manager on record; skipped." : r.pick(position === 1 ? MANAGER_COMMENTS : OWNER_COMMENTS),
        };
      }
    }
  }
  // The waiting requests: Erin's waits on her manager, Sam's already has the manager's approval.
  for (const [k, p] of PLANTED_PENDING_REQUESTS.entries()) {
    const who = ctx.fixed.get(p.who)!;
    const app = ctx.apps[ctx.ents[ctx.entByName.get(`${p.app}/${p.ent}`)!]!.app]!;
    const approvers = [ctx.roster.manager[who]!, app.owners[0]!];
    for (const position of [1, 2] as const) {
      const decided = position <= p.approved;
      yield {
        id: uuidFor(ctx.seed, S.step, k, 100 + position),
        request_id: uuidFor(ctx.seed, S.request, k, 1),
        position,
        rule: position === 1 ? "manager" : "app_owner",
        approver_id: identityId(ctx, approvers[position - 1]!),
        status: decided ? "approved" : position === p.approved + 1 ? "pending" : "waiting",
        decided_by_id: decided ? identityId(ctx, approvers[position - 1]!) : null,
        decided_at: decided ? iso(ctx.now - (p.hoursAgo - 2) * HOUR) : null,
        approved_duration_minutes: decided ? p.minutes : null,
        comment: decided ? "Approved, please keep it to the incident window." : null,
      };
    }
  }
}

export function* grantRows(ctx: Ctx): Generator<Row> {
  for (let i = 0; i < ctx.roster.count; i++) {
    for (const g of holdings(ctx, i)) {
      const request = g.source === "request";
      yield {
        id: grantId(ctx, g),
        identity_id: identityId(ctx, i),
        entitlement_id: ctx.ents[g.ent]!.id,
        account_id: accountId(ctx, i, g.app),
        kind: g.kind,
        status: g.status,
        source: g.source,
        external_id: null,
        request_id: requestId(ctx, g),
        requested_by_id: request ? identityId(ctx, g.requester) : null,
        approved_by_id: request ? identityId(ctx, g.approvers[1]) : null,
        approved_at: request ? iso(g.stepTimes[1]) : null,
        justification: g.justification,
        ticket: g.ticket,
        granted_at: iso(g.grantedAt),
        expires_at: g.expiresAt === null ? null : iso(g.expiresAt),
        next_review_due: g.nextReviewDue === null ? null : iso(g.nextReviewDue),
        last_reviewed_at: g.lastReviewedAt === null ? null : iso(g.lastReviewedAt),
        ended_at: g.endedAt === null ? null : iso(g.endedAt),
        live_state: g.liveState,
        live_checked_at: g.liveCheckedAt === null ? null : iso(g.liveCheckedAt),
        created_at: iso(g.grantedAt),
        updated_at: iso(g.endedAt ?? g.lastReviewedAt ?? g.grantedAt),
      };
    }
  }
}
