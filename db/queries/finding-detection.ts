import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";

/**
 * Where the nine drift detectors (finding-detectors.ts) put their rows: the transaction's
 * finding_candidates table (see stage), set-based, no row ever travels to JavaScript. A candidate is keyed
 * by its dedupe key (kind + subject), which is what makes a recompute update the same finding
 * instead of opening a twin. Owners are filled in afterwards (fillOwners) for the kinds whose
 * owner is the application's.
 */
export interface DetectionParams {
  now: Date;
  /** Standing privilege unused for this many days is a finding. */
  unusedDays: number;
  /** How far back sessions and usage events are examined (used without approval, sessions past their activation). */
  evidenceDays: number;
}

export const CANDIDATES = "finding_candidates";

export async function createCandidateTable(tx: Tx): Promise<void> {
  await tx.execute(sql`
    create temp table finding_candidates (
      dedupe_key text primary key,
      kind finding_kind not null,
      severity risk_level not null,
      identity_id uuid,
      grant_id uuid,
      account_id uuid,
      entitlement_id uuid,
      application_id uuid,
      owner_id uuid,
      reason text not null,
      evidence jsonb not null
    ) on commit drop`);
}

const COLUMNS = "dedupe_key, kind, severity, identity_id, grant_id, account_id, entitlement_id, application_id, owner_id, reason, evidence";

/**
 * One detector's rows into the candidates. The SELECT runs as CREATE TABLE AS because PostgreSQL
 * plans a parallel scan for that and never for INSERT … SELECT: the detectors read tens of
 * millions of rows, and the workers roughly halve that time.
 */
export function stage(index: number, select: SQL): SQL[] {
  const part = sql.raw(`finding_part_${index}`);
  return [
    sql`create temp table ${part} (${sql.raw(COLUMNS)}) on commit drop as ${select}`,
    sql.raw(`insert into ${CANDIDATES} (${COLUMNS})
      select dedupe_key, kind::finding_kind, severity::risk_level, identity_id::uuid, grant_id::uuid, account_id::uuid, entitlement_id::uuid,
             application_id::uuid, owner_id::uuid, reason, evidence::jsonb
      from finding_part_${index}`),
  ];
}
/**
 * The owner of a finding about access in an application: the entitlement's owner when they are
 * active, else the application's first active owner. Non-human identity findings keep the owner
 * their detector chose. Two joins, not a lookup per candidate.
 */
export async function fillOwners(tx: Tx): Promise<void> {
  const appKinds = sql.raw(`c.kind not in ('nhi_no_owner', 'nhi_owner_leaver')`);
  await tx.execute(sql`
    update ${sql.raw(CANDIDATES)} c set owner_id = e.owner_id
    from entitlements e join identities o on o.id = e.owner_id and o.status = 'active'
    where e.id = c.entitlement_id and ${appKinds}`);
  await tx.execute(sql`
    update ${sql.raw(CANDIDATES)} c set owner_id = first.identity_id
    from (
      select distinct on (ao.application_id) ao.application_id, ao.identity_id
      from application_owners ao join identities o on o.id = ao.identity_id and o.status = 'active'
      order by ao.application_id, ao.created_at, ao.identity_id
    ) first
    where first.application_id = c.application_id and c.owner_id is null and ${appKinds}`);
}
