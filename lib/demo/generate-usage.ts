/** Row generators for activations, privileged sessions and usage events. */
import { accountId, grantId, requestId, username } from "./generate-access";
import { RECENT, activationsFor, evidenceQuotas, evidenceSlots, mustUse, placeInSlot, pickSlot, slotTable, type Slot } from "./generate-evidence";
import { holdings } from "./generate-grants";
import { PLANTED_SESSIONS } from "./planted";
import { rngFor, uuidFor, type Rng } from "./random";
import { DAY, HOUR, MINUTE, S, isHumanType, iso, type AppInfo, type Ctx, type Row } from "./model";

const activationId = (ctx: Ctx, grantIndex: number, k: number) => uuidFor(ctx.seed, S.activation, grantIndex, k);

export function* activationRows(ctx: Ctx): Generator<Row> {
  for (let i = 0; i < ctx.roster.count; i++) {
    const identity = uuidFor(ctx.seed, S.identity, i);
    for (const g of holdings(ctx, i)) {
      for (const a of activationsFor(ctx, i, g)) {
        yield {
          id: activationId(ctx, g.index, a.k),
          grant_id: grantId(ctx, g),
          identity_id: identity,
          status: a.status,
          starts_at: iso(a.startsAt),
          ends_at: iso(a.endsAt),
          ended_at: a.endedAt === null ? null : iso(a.endedAt),
          justification: a.justification,
          ticket: a.ticket,
          break_glass: a.breakGlass,
          incident_id: a.incidentId,
          created_at: iso(a.startsAt),
        };
      }
    }
  }
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** Where a Teleport session lands and as whom, in the shape the application family uses. */
function sessionTarget(r: Rng, app: AppInfo, entName: string, user: string): { target: string; login: string; recorded: boolean } {
  switch (app.family) {
    case "aws":
      return { target: `ip-10-${r.int(0, 31)}-${r.int(0, 255)}-${r.int(1, 254)}.eu-west-1.compute.internal`, login: r.pick(["ec2-user", "ubuntu", "admin"]), recorded: true };
    case "k8s":
      return { target: app.name.includes("staging") ? "staging-eu-1" : r.pick(["prod-eu-1", "prod-us-1"]), login: entName, recorded: true };
    case "db":
      return { target: `${slug(app.name)}-${r.int(1, 3)}.db.internal:5432`, login: entName, recorded: true };
    case "vault":
      return { target: "vault.internal:8200", login: user, recorded: true };
    case "teleport":
      return { target: "teleport.accord.example:443", login: user, recorded: true };
    default:
      return { target: `${slug(app.name)}.apps.teleport.accord.example`, login: user, recorded: false };
  }
}

function sessionRow(ctx: Ctx, r: Rng, i: number, k: number, at: { start: number; seconds: number }, link: { ent: number; slot?: Slot }): Row {
  const e = ctx.ents[link.ent]!;
  const app = ctx.apps[e.app]!;
  const sid = uuidFor(ctx.seed, S.session, i, k);
  const user = username(ctx, i, app.index);
  const { target, login, recorded } = sessionTarget(r, app, e.name, user);
  const g = link.slot?.g;
  return {
    source: "teleport",
    source_session_id: sid,
    identity_id: uuidFor(ctx.seed, S.identity, i),
    account_id: accountId(ctx, i, app.index),
    application_id: app.id,
    entitlement_id: e.id,
    grant_id: g ? grantId(ctx, g) : null,
    activation_id: g && link.slot?.activation ? activationId(ctx, g.index, link.slot.activation.k) : null,
    request_id: g ? requestId(ctx, g) : null,
    login,
    target,
    started_at: iso(at.start),
    ended_at: iso(at.start + at.seconds * 1000),
    duration_seconds: at.seconds,
    recording_ref: recorded ? `s3://accord-session-recordings/${new Date(at.start).toISOString().slice(0, 7)}/${sid}.tar` : null,
    event_ids: [r.uuid(), r.uuid()],
    created_at: iso(at.start + at.seconds * 1000 + MINUTE),
    account_name: user,
    participants: [user],
    used_without_approval: !g,
  };
}

export function* sessionRows(ctx: Ctx): Generator<Row> {
  const quotas = evidenceQuotas(ctx).sessions;
  const planted = new Map(PLANTED_SESSIONS.map((p) => [ctx.fixed.get(p.who)!, p]));
  for (let i = 0; i < ctx.roster.count; i++) {
    const quota = quotas[i + 1]! - quotas[i]!;
    const held = holdings(ctx, i);
    const plantedHere = planted.get(i);
    const pinnedActivations = held.some((g) => g.pin?.activation);
    if (quota === 0 && !plantedHere && !pinnedActivations) continue;
    const r = rngFor(ctx.seed, S.session, i);
    let k = 0;
    if (quota > 0) {
      const slots = evidenceSlots(ctx, i, true, held);
      const table = slotTable(ctx, slots);
      for (; k < quota; k++) {
        const slot = pickSlot(r, slots, table);
        yield sessionRow(ctx, r, i, k, placeInSlot(r, slot, 5 * MINUTE, 4 * HOUR), { ent: slot.g.ent, slot });
      }
    }
    for (const g of held) {
      const planted = g.pin?.activation;
      if (!planted) continue;
      const a = activationsFor(ctx, i, g).at(-1)!;
      const at = { start: a.startsAt + 4 * MINUTE, seconds: planted.sessionMinutes * 60 };
      yield sessionRow(ctx, r, i, k++, at, { ent: g.ent, slot: { g, from: a.startsAt, to: a.endsAt, activation: a } });
    }
    if (plantedHere) {
      // Used without approval: no grant, no activation, only the session itself.
      const ent = ctx.entByName.get(`${plantedHere.app}/${plantedHere.ent}`)!;
      const start = Math.floor((ctx.now - plantedHere.daysAgo * DAY) / 1000) * 1000;
      const row = sessionRow(ctx, r, i, k++, { start, seconds: plantedHere.minutes * 60 }, { ent });
      yield { ...row, target: plantedHere.target, login: plantedHere.login };
    }
  }
}

const AWS_CALLS: readonly [action: string, resource: string][] = [
  ["DescribeInstances", "arn:aws:ec2:eu-west-1:{account}:instance/*"],
  ["GetObject", "arn:aws:s3:::accord-{app}-exports/*"],
  ["PutObject", "arn:aws:s3:::accord-{app}-backups/*"],
  ["DescribeDBInstances", "arn:aws:rds:eu-west-1:{account}:db:*"],
  ["GetParameter", "arn:aws:ssm:eu-west-1:{account}:parameter/app/*"],
  ["UpdateService", "arn:aws:ecs:eu-west-1:{account}:service/checkout"],
  ["Invoke", "arn:aws:lambda:eu-west-1:{account}:function:invoice-render"],
];
const K8S_CALLS = ["get pods", "logs", "describe deployment", "rollout restart", "exec", "get secrets"];
const API_CALLS = ["GET /api/v1/records", "POST /api/v1/records", "GET /api/v1/export", "PATCH /api/v1/settings", "GET /api/v1/search"];

export function* usageEventRows(ctx: Ctx): Generator<Row> {
  const quotas = evidenceQuotas(ctx).events;
  const raw = ctx.profile.rawEvidence;
  for (let i = 0; i < ctx.roster.count; i++) {
    const quota = quotas[i + 1]! - quotas[i]!;
    if (quota === 0) continue;
    const r = rngFor(ctx.seed, S.event, i);
    const human = isHumanType(ctx.roster.type[i]!);
    const slots = evidenceSlots(ctx, i, false);
    const table = slotTable(ctx, slots);
    const identity = uuidFor(ctx.seed, S.identity, i);
    const required = slots.filter((s) => mustUse(ctx, s)).slice(0, quota);
    for (let k = 0; k < quota; k++) {
      const slot = k < required.length ? required[k]! : pickSlot(r, slots, table);
      const from = k < required.length ? Math.max(slot.from, ctx.now - RECENT) : slot.from;
      const e = ctx.ents[slot.g.ent]!;
      const app = ctx.apps[e.app]!;
      const at = Math.floor((from + r.float() * (slot.to - from)) / 1000) * 1000;
      let source = "generic";
      let kind: string;
      let action: string;
      let target: string = app.name;
      if (app.family === "aws") {
        source = "cloudtrail";
        kind = human
          ? r.weighted([
              ["sign_in", 2],
              ["role_assumption", 4],
              ["api_call", 4],
            ] as const)
          : "api_call";
        const [call, resource] = r.pick(AWS_CALLS);
        action = kind === "sign_in" ? "ConsoleLogin" : kind === "role_assumption" ? "AssumeRoleWithSAML" : call;
        const account = e.externalId.split(":")[4] ?? "000000000000";
        target = kind === "api_call" ? resource.replace("{account}", account).replace("{app}", slug(app.name)) : e.externalId;
      } else if (human && r.chance(0.7)) {
        [source, kind, action] = ["okta", "sign_in", "user.authentication.sso"];
      } else {
        kind = "api_call";
        action = app.family === "k8s" ? `kubectl ${r.pick(K8S_CALLS)}` : r.pick(API_CALLS);
      }
      yield {
        source,
        source_event_id: uuidFor(ctx.seed, S.event, i, k),
        kind,
        action,
        occurred_at: iso(at),
        identity_id: identity,
        account_id: accountId(ctx, i, app.index),
        application_id: app.id,
        entitlement_id: e.id,
        grant_id: grantId(ctx, slot.g),
        session_id: null,
        target,
        raw: raw ? { outcome: "SUCCESS", ip: `10.${r.int(0, 31)}.${r.int(0, 255)}.${r.int(1, 254)}`, client: human ? "browser" : "sdk" } : null,
        created_at: iso(at + r.int(5, 90) * 1000),
      };
    }
  }
}
