/**
 * Planted revocations and their receipts (see ./planted.ts, drift 3 and 4): one that failed
 * against the target and is past its SLA, and one that was verified before a sync re-added the
 * access. Only fixed identities carry them, so this walks those alone.
 */
import { grantId } from "./generate-access";
import { SLA_HOURS } from "./generate-apps";
import { holdings, type Held } from "./generate-grants";
import { uuidFor } from "./random";
import { HOUR, MINUTE, S, iso, type Ctx, type Row } from "./model";

interface Planted {
  g: Held;
  id: string;
  grant: string;
  requestedAt: number;
  by: string;
}

function* planted(ctx: Ctx): Generator<Planted> {
  for (const i of new Set(ctx.fixed.values())) {
    for (const g of holdings(ctx, i)) {
      const r = g.pin?.revocation;
      if (!r) continue;
      // A verified revocation ended the grant; one still failing was asked for hours ago.
      const requestedAt = r.status === "verified" ? g.endedAt! - 5 * MINUTE : ctx.now - r.requestedHoursAgo * HOUR;
      yield { g, id: uuidFor(ctx.seed, S.revocation, g.index), grant: grantId(ctx, g), requestedAt, by: uuidFor(ctx.seed, S.identity, ctx.fixed.get(r.by)!) };
    }
  }
}

export function* revocationRows(ctx: Ctx): Generator<Row> {
  for (const { g, id, grant, requestedAt, by } of planted(ctx)) {
    const r = g.pin!.revocation!;
    const app = ctx.apps[g.app]!;
    const verified = r.status === "verified";
    yield {
      id,
      grant_id: grant,
      cause: "admin",
      cause_ref: by,
      status: r.status,
      connector_kind: app.connector,
      idempotency_key: `admin:${by}:${grant}`,
      attempts: r.attempts,
      last_error: r.lastError ?? null,
      verification: verified ? "read_back" : null,
      requested_by_id: by,
      requested_at: iso(requestedAt),
      dispatched_at: iso(requestedAt + MINUTE),
      applied_at: verified ? iso(requestedAt + 2 * MINUTE) : null,
      verified_at: verified ? iso(g.endedAt!) : null,
      failed_at: verified ? null : iso(requestedAt + 45 * MINUTE),
      sla_due_at: iso(requestedAt + SLA_HOURS[app.risk] * HOUR),
    };
  }
}

/** What each attempt sent and got back, as the pipeline keeps it: PATCH the group, then read it back. */
export function* revocationAttemptRows(ctx: Ctx): Generator<Row> {
  for (const { g, id, requestedAt } of planted(ctx)) {
    const r = g.pin!.revocation!;
    const ent = ctx.ents[g.ent]!;
    const base = `https://scim.${ctx.apps[g.app]!.name.toLowerCase().replace(/[^a-z0-9]+/g, "")}.example/scim/v2`;
    const patch = { method: "PATCH", url: `${base}/Groups/${encodeURIComponent(ent.externalId)}`, headers: { authorization: "[redacted]" } };
    for (let attempt = 1; attempt <= r.attempts; attempt++) {
      const at = requestedAt + MINUTE * 2 ** (attempt - 1);
      const ok = r.status === "verified";
      yield {
        id: uuidFor(ctx.seed, S.revocation, g.index, 2 * attempt),
        revocation_id: id,
        attempt,
        phase: "dispatch",
        request: patch,
        response: { status: ok ? 204 : 500, body: ok ? "" : { detail: "Internal Server Error" } },
        outcome: ok ? "ok" : "error",
        error: ok ? null : (r.lastError ?? "HTTP 500"),
        started_at: iso(at),
        finished_at: iso(at + 800),
      };
      if (ok) {
        yield {
          id: uuidFor(ctx.seed, S.revocation, g.index, 2 * attempt + 1),
          revocation_id: id,
          attempt,
          phase: "verify",
          request: { method: "GET", url: `${base}/Groups/${encodeURIComponent(ent.externalId)}?attributes=members`, headers: { authorization: "[redacted]" } },
          response: { status: 200, body: { members: [] } },
          outcome: "ok",
          error: null,
          started_at: iso(at + 60_000),
          finished_at: iso(at + 60_600),
        };
      }
    }
  }
}
