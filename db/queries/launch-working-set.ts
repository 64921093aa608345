import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { CampaignScope } from "@/lib/domain/campaigns/campaign-scope";
import { grantHistorySql, scopeCondition } from "./campaign-launch";

/**
 * A launch's working set (launch_grants and launch_peer_stats): what its scope selected when it
 * began, with the review history and peer counts computed once for all of it. Slices take rows,
 * snapshot them and delete them in one statement (snapshotLaunchSlice).
 */

export async function hasLaunchWorkingSet(db: Executor, campaignId: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from launch_grants where campaign_id = ${campaignId}::uuid limit 1`);
  return rows.length > 0;
}

/** Whether grants remain once slices in flight have committed or rolled back: waits for them. */
export async function launchGrantsLeft(db: Executor, campaignId: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from launch_grants where campaign_id = ${campaignId}::uuid limit 1 for update`);
  return rows.length > 0;
}

/**
 * Takes the working set: every grant in scope that has no item yet, with its review history as of
 * now (grantHistorySql). Taking the history here, before any slice inserts, keeps the slices from
 * looking up earlier decisions in review_items while they fill it: planned on an empty table, that
 * lookup became a scan of every row inserted so far, for every item. The use evidence (usage
 * events, sessions, activations: most of the work) is left to the slices, which share it across
 * connections. Returns how many grants it took.
 */
export async function takeLaunchWorkingSet(db: Executor, args: { campaignId: string; scope: CampaignScope; at: Date }): Promise<number> {
  const campaignId = sql`${args.campaignId}::uuid`;
  // As for the snapshot itself: JIT compiling these statements costs more than it saves.
  await db.execute(sql`set local jit = off`);
  // In grant order, the order the slices take them in.
  const taken = await db.execute(sql`
    insert into launch_grants (campaign_id, grant_id, entitlement_id, previous_decisions, findings)
    select ${campaignId}, s.id, s.entitlement_id, h.previous_decisions, h.findings
    from (
      select g.id, g.entitlement_id from grants g
      join identities i on i.id = g.identity_id
      join entitlements e on e.id = g.entitlement_id
      where ${scopeCondition(args.scope, args.at)}
        and not exists (select 1 from review_items r where r.campaign_id = ${campaignId} and r.subject_key = g.id::text and r.stage = 1)
      order by g.id
    ) s
    cross join lateral (${grantHistorySql({ grantId: sql`s.id`, campaignId: args.campaignId })}) h`);
  // Each slice takes the next rows in grant order: with statistics that know the table's size, by
  // reading the key index from where the last slice stopped, not by sorting every row left.
  await db.execute(sql`analyze launch_grants`);
  return taken.count ?? 0;
}

/**
 * Takes the peer counts of the entitlements in scope, unless this launch has them already: how
 * many active people share each department and title, and how many of them hold each entitlement.
 * It reads the scope itself, so it runs beside takeLaunchWorkingSet rather than after it.
 */
export async function takeLaunchPeerStats(db: Executor, args: { campaignId: string; scope: CampaignScope; at: Date }): Promise<void> {
  const campaignId = sql`${args.campaignId}::uuid`;
  await db.execute(sql`set local jit = off`);
  // Two runs of one launch must not both add them.
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended('launch_peer_stats:' || ${args.campaignId}, 0))`);
  const [taken] = await db.execute(sql`select 1 from launch_peer_stats where campaign_id = ${campaignId} limit 1`);
  if (taken) return;
  await db.execute(sql`
    insert into launch_peer_stats (campaign_id, department, title, entitlement_id, n)
    select ${campaignId}, coalesce(department, ''), coalesce(title, ''), null::uuid, count(*)::int
    from identities where status = 'active' group by 2, 3
    union all
    select ${campaignId}, coalesce(pi.department, ''), coalesce(pi.title, ''), pg.entitlement_id, count(distinct pg.identity_id)::int
    from grants pg join identities pi on pi.id = pg.identity_id
    where pg.status = 'active' and pi.status = 'active'
      and pg.entitlement_id in (
        select g.entitlement_id from grants g
        join identities i on i.id = g.identity_id
        join entitlements e on e.id = g.entitlement_id
        where ${scopeCondition(args.scope, args.at)})
    group by 2, 3, 4`);
}

/** Clears whatever the working set still holds (peer counts, grants) once the launch is over. */
export async function clearLaunchWorkingSet(db: Executor, campaignId: string): Promise<void> {
  await db.execute(sql`delete from launch_grants where campaign_id = ${campaignId}::uuid`);
  await db.execute(sql`delete from launch_peer_stats where campaign_id = ${campaignId}::uuid`);
}
