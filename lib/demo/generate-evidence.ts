/**
 * Evidence: JIT activations on eligible grants, privileged sessions and usage events. A session
 * on an eligible grant always falls inside one of its activations, and standing access that is
 * marked dormant has no evidence in the last 90+ days, so the only "used without approval" and
 * "unused privilege" cases are the intended ones.
 */
import { ACTIVATION_REASONS, BREAK_GLASS_REASONS } from "./names";
import { holdings, usableWindow, type Held } from "./generate-grants";
import { apportion, cumulative, rngFor, type Rng } from "./random";
import { DAY, HOUR, MINUTE, S, isHumanType, type Ctx } from "./model";

export interface Activation {
  k: number;
  startsAt: number;
  endsAt: number;
  endedAt: number | null;
  status: "active" | "ended" | "expired";
  breakGlass: boolean;
  incidentId: string | null;
  justification: string;
  ticket: string | null;
}

const sec = (ms: number) => Math.ceil(ms / 1000) * 1000;

export function activationsFor(ctx: Ctx, i: number, g: Held): Activation[] {
  if (g.kind !== "eligible") return [];
  const e = ctx.ents[g.ent]!;
  const r = rngFor(ctx.seed, S.activation, g.index);
  const planted = g.pin?.activation;
  let [from, to] = usableWindow(ctx, i, g);
  to = Math.min(to, ctx.now - HOUR);
  if (planted) to = planted.only ? from : Math.min(to, ctx.now - planted.startedMinutesAgo * MINUTE - HOUR);
  const out: Activation[] = [];
  const span = to - from;
  if (span > 2 * HOUR) {
    const perMonth = e.breakGlass ? 0.3 : (ctx.roster.privileged[i] ? 2.5 : 1.2) * Math.min(2, Math.sqrt(ctx.roster.activity[i]!));
    const count = Math.min(60, Math.floor((perMonth * span * r.between(0.5, 1.5)) / (30 * DAY) + r.float()));
    const slot = span / Math.max(1, count);
    for (let k = 0; k < count; k++) {
      const length = Math.min(r.between(1, 8) * HOUR, (e.maxMinutes ?? 480) * MINUTE, slot * 0.9);
      const startsAt = sec(from + k * slot + r.float() * (slot - length));
      const endsAt = startsAt + Math.floor(length / 1000) * 1000;
      const early = r.chance(0.35);
      out.push({
        k,
        startsAt,
        endsAt,
        endedAt: early ? sec(startsAt + (endsAt - startsAt) * r.between(0.2, 0.9)) : endsAt,
        status: early ? "ended" : "expired",
        breakGlass: e.breakGlass,
        incidentId: e.breakGlass ? `INC-${r.int(1000, 9999)}` : null,
        justification: e.breakGlass ? r.pick(BREAK_GLASS_REASONS) : r.pick(ACTIVATION_REASONS),
        ticket: r.chance(0.8) ? `${r.pick(["OPS", "INC", "CHG"])}-${r.int(1000, 9999)}` : null,
      });
    }
  }
  if (planted) {
    const startsAt = sec(ctx.now - planted.startedMinutesAgo * MINUTE);
    const endsAt = startsAt + planted.minutes * MINUTE;
    const running = endsAt > ctx.now;
    out.push({
      k: out.length,
      startsAt,
      endsAt,
      endedAt: running ? null : endsAt,
      status: running ? "active" : "expired",
      breakGlass: planted.breakGlass ?? false,
      incidentId: planted.incidentId ?? null,
      justification: planted.justification,
      ticket: planted.ticket,
    });
  }
  return out;
}

/** A place evidence can happen: a grant's usable window or one of its activations. */
export interface Slot {
  g: Held;
  from: number;
  to: number;
  activation: Activation | null;
}

/** Slots of one identity, for sessions (privileged only) or usage events (any grant). */
export function evidenceSlots(ctx: Ctx, i: number, privilegedOnly: boolean, held = holdings(ctx, i)): Slot[] {
  const slots: Slot[] = [];
  for (const g of held) {
    if (privilegedOnly && !ctx.ents[g.ent]!.privileged) continue;
    if (g.kind === "eligible") {
      for (const a of activationsFor(ctx, i, g)) {
        if (a.status !== "active") slots.push({ g, from: a.startsAt, to: a.endedAt!, activation: a });
      }
      continue;
    }
    const [from, to] = usableWindow(ctx, i, g);
    if (to - from > 10 * MINUTE) slots.push({ g, from, to: Math.min(to, ctx.now - MINUTE), activation: null });
  }
  return slots;
}

/** Standing access is weighted by how long it was usable; an activation counts as a few days of it. */
const slotWeight = (ctx: Ctx, s: Slot) => (s.activation ? 1.5 : (s.to - s.from) / (ctx.profile.windowDays * DAY)) * (s.g.usage === "dormant" ? 0.3 : 1);

export interface EvidenceQuotas {
  sessions: Float64Array;
  events: Float64Array;
}

/**
 * Sessions and events per identity, apportioned so the totals match the requested scale exactly.
 * Costs one extra pass over every identity's grants; kept on ctx for the two passes that need it.
 */
export function evidenceQuotas(ctx: Ctx & { quotas?: EvidenceQuotas }): EvidenceQuotas {
  if (ctx.quotas) return ctx.quotas;
  const { count } = ctx.roster;
  const sessionWeight = new Float64Array(count);
  const eventWeight = new Float64Array(count);
  const required = new Float64Array(count);
  let requiredTotal = 0;
  for (let i = 0; i < count; i++) {
    const held = holdings(ctx, i);
    const activity = ctx.roster.activity[i]!;
    const human = isHumanType(ctx.roster.type[i]!);
    for (const s of evidenceSlots(ctx, i, false, held)) {
      const w = slotWeight(ctx, s);
      eventWeight[i] = eventWeight[i]! + w * activity;
      if (ctx.ents[s.g.ent]!.privileged) sessionWeight[i] = sessionWeight[i]! + w * activity * (human ? 1 : 0.1);
      if (mustUse(ctx, s)) required[i] = required[i]! + 1;
    }
    requiredTotal += required[i]!;
  }
  // A scale too small for one use per standing grant falls back to plain proportional shares.
  if (requiredTotal > ctx.profile.usageEvents) {
    required.fill(0);
    requiredTotal = 0;
  }
  const shares = apportion(ctx.profile.usageEvents - requiredTotal, eventWeight);
  const events = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) events[i + 1] = events[i]! + required[i]! + shares[i + 1]! - shares[i]!;
  ctx.quotas = { sessions: apportion(ctx.profile.sessions, sessionWeight), events };
  return ctx.quotas;
}

/**
 * Standing privilege that is not meant to look dormant gets at least one use in the last 85
 * days; otherwise random allocation alone would leave most of it "unused for 90 days" and
 * bury the planted cases.
 */
export function mustUse(ctx: Ctx, s: Slot): boolean {
  return !s.activation && s.g.usage === "normal" && s.g.status === "active" && ctx.ents[s.g.ent]!.privileged && s.to > ctx.now - RECENT;
}

export const RECENT = 85 * DAY;

export function pickSlot(r: Rng, slots: Slot[], table: Float64Array): Slot {
  return slots[r.pickCumulative(table)]!;
}

export function slotTable(ctx: Ctx, slots: Slot[]): Float64Array {
  return cumulative(slots.map((s) => slotWeight(ctx, s)));
}

/** A moment inside the slot and a duration that ends inside it too. */
export function placeInSlot(r: Rng, s: Slot, minMs: number, maxMs: number): { start: number; seconds: number } {
  const room = Math.max(0, s.to - s.from - minMs);
  const start = sec(s.from + r.float() * room);
  const length = Math.min(r.logUniform(minMs, maxMs), s.to - start);
  return { start, seconds: Math.max(1, Math.floor(length / 1000)) };
}
