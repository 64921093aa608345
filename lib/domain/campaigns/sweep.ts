import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { foldPiledUpQueueCounts } from "@/db/queries/reviews";
import { campaigns, identities, reviewItems } from "@/db/schema";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { notify } from "@/lib/domain/notifications/notify";
import { recurrenceDays } from "./create-campaign";
import { closeNow } from "./close-campaign";
import { beginLaunch } from "./launch-campaign";
import { resolveReviewer } from "./reviewer";

const DAY = 86_400_000;
/** A campaign closes on its own this long after its due date; overdue items are escalated meanwhile. */
export const AUTO_CLOSE_AFTER_DAYS = 7;
const PAGE = 500;

/**
 * The campaign clock, run by the job queue every few minutes (once across all app instances):
 * reminders before the due date, escalation after it, closing with the undecided-item policy,
 * and the next run of recurring campaigns. Each step is idempotent, so a repeated or
 * overlapping run changes nothing twice.
 */
export async function sweepCampaigns(deps: Deps) {
  const reminded = await sendReminders(deps);
  const escalated = await escalateOverdue(deps);
  const closed = await closeExpired(deps);
  const launched = await launchRecurringRuns(deps);
  // Escalations and closes leave many small deltas in the queue counts of reviewers who may not come back to fold them.
  await foldPiledUpQueueCounts(deps.db);
  return { reminded, escalated, closed, launched };
}

async function sendReminders(deps: Deps): Promise<number> {
  const at = deps.now();
  const due = await deps.db.execute<{ campaign_id: string; name: string; days: number; reviewer_ids: string[] }>(sql`
    select c.id campaign_id, c.name, d.days, array_agg(distinct r.reviewer_id) reviewer_ids
    from campaigns c cross join unnest(c.reminder_days_before) d(days)
    join review_items r on r.campaign_id = c.id and r.status = 'pending' and r.reviewer_id is not null
    where c.status = 'active' and not c.ad_hoc
      and r.due_at - make_interval(days => d.days) <= ${at.toISOString()}::timestamptz and r.due_at > ${at.toISOString()}::timestamptz
      and (r.reminded_at is null or r.reminded_at < r.due_at - make_interval(days => d.days))
    group by c.id, c.name, d.days`);
  let sent = 0;
  for (const row of due) {
    await deps.db.transaction(async (tx) => {
      // Two overlapping sweeps remind each campaign one after the other, never interleaved.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`accord.remind:${row.campaign_id}`}))`);
      sent += await notify(tx, {
        recipientIds: row.reviewer_ids,
        kind: "campaign.reminder",
        subject: `Reminder: access review "${row.name}"`,
        body: row.days === 0 ? "Your review items are due today." : `Your review items are due in ${row.days} day(s).`,
        link: `/reviews?campaign=${row.campaign_id}`,
        dedupeKey: `campaign.reminder:${row.campaign_id}:${row.days}`,
        at,
      });
      await tx.execute(sql`
        update review_items set reminded_at = ${at.toISOString()}::timestamptz
        where campaign_id = ${row.campaign_id} and status = 'pending' and due_at - make_interval(days => ${row.days}) <= ${at.toISOString()}::timestamptz`);
    });
  }
  return sent;
}

/** Overdue items go to their reviewer's manager (or the campaign's fallback), never to the person under review. */
async function escalateOverdue(deps: Deps): Promise<number> {
  const at = deps.now();
  let escalated = 0;
  for (;;) {
    // Each page is claimed with SKIP LOCKED inside its transaction: overlapping sweeps share the work, never the rows.
    const done = await deps.db.transaction(async (tx) => {
      const page = await tx
        .select({
          id: reviewItems.id,
          identityId: reviewItems.identityId,
          reviewerId: reviewItems.reviewerId,
          escalateTo: campaigns.escalateTo,
          fallbackId: campaigns.fallbackReviewerId,
          ownerId: campaigns.createdById,
          managerId: identities.managerId,
          managerStatus: sql<"active" | "suspended" | "leaver" | null>`(select status from identities m where m.id = ${identities.managerId})`,
        })
        .from(reviewItems)
        .innerJoin(campaigns, eq(campaigns.id, reviewItems.campaignId))
        .leftJoin(identities, eq(identities.id, reviewItems.reviewerId))
        .where(and(eq(campaigns.status, "active"), eq(reviewItems.status, "pending"), isNull(reviewItems.escalatedAt), lt(reviewItems.dueAt, at)))
        .orderBy(reviewItems.id)
        .limit(PAGE)
        .for("update", { of: reviewItems, skipLocked: true });
      for (const item of page) {
        const candidates = item.escalateTo === "manager" && item.managerId && item.managerStatus ? [{ id: item.managerId, status: item.managerStatus }] : [];
        const answer = resolveReviewer({ rule: "manager", subjectId: item.identityId, candidates, fallbackId: item.fallbackId, ownerId: item.ownerId });
        const reviewerId = answer.reviewerId ?? item.reviewerId;
        await tx
          .update(reviewItems)
          .set({ reviewerId, escalatedAt: at, reviewerReason: `Escalated when overdue: ${answer.reason}`, version: sql`${reviewItems.version} + 1` })
          .where(eq(reviewItems.id, item.id));
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: "review.escalated",
          entityType: "review_item",
          entityId: item.id,
          before: { reviewerId: item.reviewerId },
          after: { reviewerId },
          reason: answer.reason,
          at,
        });
        if (reviewerId) {
          await notify(tx, {
            recipientIds: [reviewerId],
            kind: "review.escalated",
            subject: "An overdue access review was escalated to you",
            body: `An item assigned to someone else is overdue. ${answer.reason}.`,
            link: `/reviews/${item.id}`,
            dedupeKey: `review.escalated:${item.id}`,
            at,
          });
        }
        escalated += 1;
      }
      return page.length === 0;
    });
    if (done) return escalated;
  }
}

async function closeExpired(deps: Deps): Promise<number> {
  const at = deps.now();
  const cutoff = new Date(at.getTime() - AUTO_CLOSE_AFTER_DAYS * DAY);
  const expired = await deps.db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.status, "active"), eq(campaigns.adHoc, false), lt(campaigns.dueAt, cutoff)));
  let closed = 0;
  for (const { id } of expired) {
    await deps.db.transaction(async (tx) => {
      // "No key update": the queue-count rows written by review_items' triggers reference the
      // campaign (a KEY SHARE lock); a full UPDATE lock here deadlocked a racing escalation.
      const [campaign] = await tx
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.id, id), eq(campaigns.status, "active")))
        .for("no key update");
      if (!campaign) return;
      const result = await closeNow(deps, tx, campaign, SYSTEM_ACTOR, { allowExtension: true });
      if (result.closed) closed += 1;
    });
  }
  return closed;
}

/**
 * Starts the next run of each recurring series whose interval has passed since its latest run
 * launched. The unique (series, run number) index makes a second instance's attempt a no-op.
 */
async function launchRecurringRuns(deps: Deps): Promise<number> {
  const at = deps.now();
  const latest = await deps.db.execute<{ id: string }>(sql`
    select distinct on (series_id) id from campaigns
    where recurrence <> 'none' and series_id is not null and status in ('active', 'closed')
    order by series_id, run_number desc`);
  let launched = 0;
  for (const { id } of latest) {
    await deps.db.transaction(async (tx) => {
      const [run] = await tx.select().from(campaigns).where(eq(campaigns.id, id));
      const interval = run && recurrenceDays(run);
      if (!run?.launchedAt || !interval || run.launchedAt.getTime() + interval * DAY > at.getTime()) return;
      const { id: _id, status: _s, launchedAt: _l, closedAt: _c, itemCount: _n, extendedAt: _e, startsAt, ...settings } = run;
      const [next] = await tx
        .insert(campaigns)
        .values({ ...settings, name: run.name.replace(/ \(run \d+\)$/, "") + ` (run ${run.runNumber + 1})`, runNumber: run.runNumber + 1, status: "draft", createdAt: at, startsAt: startsAt })
        .onConflictDoNothing()
        .returning();
      if (!next) return;
      await beginLaunch(deps, tx, next, at);
      await recordAudit(tx, { actor: SYSTEM_ACTOR, action: "campaign.recurred", entityType: "campaign", entityId: next.id, after: { seriesId: next.seriesId, runNumber: next.runNumber }, at });
      launched += 1;
    });
  }
  return launched;
}
