import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

export type StalledRevocation = {
  id: string;
  status: "requested" | "dispatched" | "applied";
  attempts: number;
  /** A webhook without a status URL, applied: only the receiver's callback can verify it. */
  awaitingCallback: boolean;
  slaHours: number;
};

/**
 * Open revocations that nothing is moving: no job of theirs is waiting, retrying or running in
 * pg-boss (the queue's own table, read in the same snapshot as the revocation), and either
 * - nothing happened to them for longer than the lease (a worker died on its last try, a job
 *   was lost), or
 * - they wait for a webhook receiver's callback that has not come within the application's
 *   revocation SLA of the last send.
 * Revocations waiting for an app owner (manual connectors) are not stalled: the SLA finding
 * covers them.
 */
export async function listStalledRevocations(db: Executor, args: { queue: string; now: Date; leaseMs: number; limit: number; revocationId?: string }): Promise<StalledRevocation[]> {
  const now = sql`${args.now.toISOString()}::timestamptz`;
  const awaitingCallback = sql`(a.connector_kind = 'webhook' and r.status = 'applied' and coalesce(a.connector_config->>'statusUrl', '') = '')`;
  return db.execute<StalledRevocation>(sql`
    select r.id, r.status, r.attempts, ${awaitingCallback} as "awaitingCallback", a.revocation_sla_hours as "slaHours"
    from revocations r
    join grants g on g.id = r.grant_id
    join entitlements e on e.id = g.entitlement_id
    join applications a on a.id = e.application_id
    cross join lateral (
      select max(ra.started_at) as last_receipt, max(ra.started_at) filter (where ra.phase = 'dispatch') as last_send
      from revocation_attempts ra where ra.revocation_id = r.id
    ) x
    where r.status in ('requested', 'dispatched', 'applied')
      ${args.revocationId ? sql`and r.id = ${args.revocationId}` : sql``}
      and not (r.status <> 'requested' and (r.connector_kind in ('manual', 'none') or a.connector_kind in ('manual', 'none')))
      and not exists (
        select 1 from pgboss.job j
        where j.name = ${args.queue} and j.state in ('created', 'retry', 'active') and j.data->>'revocationId' = r.id::text
      )
      and case when ${awaitingCallback}
        then greatest(r.applied_at, x.last_send) < ${now} - make_interval(hours => a.revocation_sla_hours)
        else greatest(r.requested_at, r.dispatched_at, r.applied_at, x.last_receipt) < ${now} - make_interval(secs => ${args.leaseMs / 1000})
      end
    order by r.requested_at, r.id
    limit ${args.limit}`);
}

/** Locks an open revocation for the sweep; null when it is done or another sweep holds it. */
export async function lockOpenRevocation(tx: Executor, args: { revocationId: string }): Promise<string | null> {
  const [row] = await tx.execute<{ id: string }>(sql`
    select id from revocations where id = ${args.revocationId} and status in ('requested', 'dispatched', 'applied')
    for update skip locked`);
  return row?.id ?? null;
}
