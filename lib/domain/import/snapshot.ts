import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { at } from "./sql";
import { STAGE } from "./stage";

export interface SnapshotSummary {
  applicationId: string;
  application: string;
  /** Live grants of the application listed in the file (created ones included). */
  present: number;
  /** Live grants of the application the file does not list. */
  absent: number;
  /** Of those, the ones not already known to be absent: new drift. */
  newlyAbsent: number;
}

/**
 * A snapshot is what the target system holds right now. Live grants of the application that
 * the file lists are seen ("present"); the ones it leaves out are not there any more ("absent"),
 * which is what drift detection compares with approvals. Only active and pending-revocation
 * grants are live; revoked and expired ones keep their last known state.
 */
export async function snapshotCounts(tx: Tx, applicationId: string): Promise<SnapshotSummary> {
  const [row] = await tx.execute<{ application: string; present: number; absent: number; newly_absent: number }>(sql`
    select a.name as application,
           (select count(*)::int from ${sql.raw(STAGE)}) as present,
           count(g.id) filter (where not exists (select 1 from ${sql.raw(STAGE)} s where s.target_id = g.id))::int as absent,
           count(g.id) filter (where g.live_state <> 'absent' and not exists (select 1 from ${sql.raw(STAGE)} s where s.target_id = g.id))::int as newly_absent
    from applications a
    left join entitlements e on e.application_id = a.id
    left join grants g on g.entitlement_id = e.id and g.status in ('active', 'pending_revocation')
    where a.id = ${applicationId}
    group by a.name`);
  return { applicationId, application: row?.application ?? "", present: row?.present ?? 0, absent: row?.absent ?? 0, newlyAbsent: row?.newly_absent ?? 0 };
}

/** Run after the grants are written, so the created ones are marked present too. */
export async function applySnapshot(tx: Tx, applicationId: string, now: Date): Promise<void> {
  await tx.execute(sql`
    update grants g
    set live_state = (case when exists (select 1 from ${sql.raw(STAGE)} s where s.target_id = g.id) then 'present' else 'absent' end)::live_state,
        live_checked_at = ${at(now)}
    from entitlements e
    where e.id = g.entitlement_id and e.application_id = ${applicationId} and g.status in ('active', 'pending_revocation')`);
}
