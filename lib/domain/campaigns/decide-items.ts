import { z } from "zod";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { insertReviewItems } from "@/db/queries/campaign-launch";
import { uuidList } from "@/db/queries/scope";
import { campaigns, entitlements, reviewDecisions, reviewItems } from "@/db/schema";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canDecideReviewItem } from "@/lib/domain/access/rules";
import { recordAudit, recordAuditMany } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { publishEvents } from "@/lib/domain/webhooks/publish";
import { applyRemoval } from "./apply-removal";
import { evidenceOf, needsComment } from "./evidence";
import { nextReviewDue } from "./review-interval";

const reduceTo = z.enum(["eligible", "time_bound"]);

export const decideItemsInput = z
  .object({
    items: z
      .array(z.object({ itemId: z.uuid(), version: z.coerce.number().int().min(0) }))
      .min(1, "Choose at least one item.")
      .max(1000, "Decide at most 1,000 items at once."),
    decision: z.enum(["certify", "revoke", "reduce"]),
    comment: z.string().trim().max(2000).optional(),
    reduceTo: reduceTo.optional(),
    /** For a reduction to time-bound access: when it ends. */
    expiresAt: z.coerce.date().optional(),
    /** Time the reviewer spent on the item, measured in the browser (the rubber-stamp signal). */
    secondsSpent: z.coerce.number().int().min(0).max(86_400).optional(),
  })
  .refine((v) => v.decision !== "revoke" || (v.comment?.length ?? 0) >= 3, { path: ["comment"], message: "Say why this access should be revoked." })
  .refine((v) => v.decision !== "reduce" || v.reduceTo !== undefined, { path: ["reduceTo"], message: "Choose just-in-time or time-bound." })
  .refine((v) => v.reduceTo !== "time_bound" || v.expiresAt !== undefined, { path: ["expiresAt"], message: "Choose when the time-bound access ends." });

export type DecideItemsInput = z.infer<typeof decideItemsInput>;

export interface DecideOutcome {
  decided: string[];
  /** Items refused, with the reason, when several were decided at once. */
  refused: { itemId: string; reason: string }[];
}

type Locked = Awaited<ReturnType<typeof lockItems>>[number];

async function lockItems(tx: Executor, itemIds: string[]) {
  return tx
    .select({
      item: reviewItems,
      campaign: {
        id: campaigns.id,
        status: campaigns.status,
        secondStageRule: campaigns.secondStageRule,
        secondStagePrivilegedOnly: campaigns.secondStagePrivilegedOnly,
        namedReviewerIds: campaigns.namedReviewerIds,
        fallbackReviewerId: campaigns.fallbackReviewerId,
        createdById: campaigns.createdById,
        windowDays: campaigns.windowDays,
        dueAt: campaigns.dueAt,
        privilegedReviewDays: campaigns.privilegedReviewDays,
        standardReviewDays: campaigns.standardReviewDays,
        removals: campaigns.removals,
      },
      privileged: entitlements.privileged,
    })
    .from(reviewItems)
    .innerJoin(campaigns, eq(campaigns.id, reviewItems.campaignId))
    .innerJoin(entitlements, eq(entitlements.id, reviewItems.entitlementId))
    .where(inArray(reviewItems.id, itemIds))
    .orderBy(reviewItems.id)
    .for("update", { of: reviewItems });
}

/** Why this actor may not make this decision on this item now, or null when they may. */
function refusal(actor: Actor, row: Locked, seenVersion: number, input: DecideItemsInput): string | null {
  const rule = canDecideReviewItem(actor, {
    reviewerId: row.item.reviewerId,
    identityId: row.item.identityId,
    status: row.item.status,
    campaignStatus: row.campaign.status,
  });
  if (!rule.allowed) return rule.reason;
  if (row.item.version !== seenVersion) {
    return row.item.decision
      ? `This item changed since you opened it: it is now "${row.item.decision}". Reload to see the current state.`
      : "This item changed since you opened it. Reload to see the current state.";
  }
  if (row.item.revocationId) return "This access is already being removed; a revocation under way cannot be taken back from the review.";
  if (!row.item.grantId) return "The grant behind this item no longer exists.";
  if (input.decision === "certify" && (input.comment?.length ?? 0) < 3 && needsComment(evidenceOf(row.item), row.privileged)) {
    return "Privileged access that was not used in the review window needs a comment to certify.";
  }
  return null;
}

/**
 * Certify, revoke or reduce one item or a selection. One item refused aborts a single decision
 * with its reason; a bulk decision applies to the items that pass and lists the ones refused
 * (bulk-certify refuses items that need a comment). Every decision is kept in review_decisions
 * and the audit trail; revocations and reductions go to the pipeline in the same transaction.
 */
export async function decideItems(deps: Deps, actor: Actor, input: DecideItemsInput): Promise<DecideOutcome> {
  const bulk = input.items.length > 1;
  return deps.db.transaction(async (tx) => {
    const versions = new Map(input.items.map((i) => [i.itemId, i.version]));
    const rows = await lockItems(tx, [...versions.keys()]);
    if (!bulk && rows.length === 0) throw new NotFound("That review item");
    const refused: DecideOutcome["refused"] = [];
    const accepted: Locked[] = [];
    for (const row of rows) {
      const reason = refusal(actor, row, versions.get(row.item.id)!, input);
      if (reason) refused.push({ itemId: row.item.id, reason });
      else accepted.push(row);
    }
    for (const id of versions.keys()) if (!rows.some((r) => r.item.id === id)) refused.push({ itemId: id, reason: "That review item was not found." });
    if (!bulk && refused.length > 0) {
      const reason = refused[0]!.reason;
      throw reason.startsWith("This item changed") ? new Conflict(reason) : new Forbidden(reason);
    }

    await applyDecisions(deps, tx, actor, accepted, input, { at: deps.now(), bulk, secondsSpent: input.secondsSpent ?? null });
    return { decided: accepted.map((r) => r.item.id), refused };
  });
}

/**
 * Applies one decision to many items set-based (a bulk of 1,000 is a handful of statements, not
 * thousands): second-stage items in one INSERT ... SELECT, review dates in one UPDATE, the
 * history, the items, the audit rows and the webhook events each in one write.
 */
async function applyDecisions(deps: Deps, tx: Executor, actor: Actor, rows: Locked[], input: DecideItemsInput, ctx: { at: Date; bulk: boolean; secondsSpent: number | null }) {
  if (rows.length === 0) return;
  const who = auditActor(actor);
  for (const { item, campaign } of rows) {
    if (item.decision === "certify" && item.stage === 1) await withdrawSecondStage(tx, campaign.id, item.subjectKey);
  }

  const secondStage = new Set<string>();
  const revocationIds = new Map<string, string | null>();
  if (input.decision === "certify") {
    const staged = rows.filter(({ item, campaign, privileged }) => item.stage === 1 && campaign.secondStageRule !== null && (privileged || !campaign.secondStagePrivilegedOnly));
    for (const [campaignId, group] of groupBy(staged, (r) => r.campaign.id)) {
      const { campaign } = group[0]!;
      await insertReviewItems(tx, {
        campaignId,
        stage: 2,
        rule: campaign.secondStageRule!,
        namedReviewerIds: campaign.namedReviewerIds,
        fallbackId: campaign.fallbackReviewerId,
        ownerId: campaign.createdById,
        excludeIds: [actor.id],
        windowDays: campaign.windowDays,
        dueAt: campaign.dueAt,
        at: ctx.at,
        items: group.map(({ item }) => ({ grantId: item.grantId!, subjectKey: item.subjectKey, origin: { firstStageItemId: item.id, certifiedBy: actor.displayName } })),
      });
      for (const { item } of group) secondStage.add(item.id);
    }
    const certified = rows.filter((r) => !secondStage.has(r.item.id));
    if (certified.length > 0) {
      await tx.execute(sql`
        update grants g set next_review_due = v.due, last_reviewed_at = ${ctx.at.toISOString()}::timestamptz, updated_at = ${ctx.at.toISOString()}::timestamptz
        from unnest(${uuidList(certified.map((r) => r.item.grantId!))}, ${`{${certified.map((r) => nextReviewDue(ctx.at, r.privileged, r.campaign).toISOString()).join(",")}}`}::timestamptz[]) v(id, due)
        where g.id = v.id`);
    }
  } else {
    for (const { item, campaign } of rows) {
      if (campaign.removals !== "on_decision") continue;
      const removal = { id: item.id, grantId: item.grantId, decision: input.decision, comment: input.comment ?? null, reduceTo: input.reduceTo ?? null, reduceExpiresAt: input.expiresAt ?? null };
      revocationIds.set(item.id, await applyRemoval(deps, tx, removal, who));
    }
  }

  const ids = uuidList(rows.map((r) => r.item.id));
  await tx
    .update(reviewDecisions)
    .set({ undoneAt: ctx.at })
    .where(
      and(
        inArray(
          reviewDecisions.reviewItemId,
          rows.map((r) => r.item.id),
        ),
        isNull(reviewDecisions.undoneAt),
      ),
    );
  await tx.insert(reviewDecisions).values(
    rows.map(({ item }) => ({
      reviewItemId: item.id,
      decision: input.decision,
      actorId: actor.id,
      comment: input.comment ?? null,
      secondsSpent: ctx.secondsSpent,
      bulk: ctx.bulk,
      createdAt: ctx.at,
    })),
  );
  await tx
    .update(reviewItems)
    .set({
      status: "decided",
      decision: input.decision,
      decidedById: actor.id,
      decidedAt: ctx.at,
      comment: input.comment ?? null,
      secondsSpent: ctx.secondsSpent,
      bulk: ctx.bulk,
      reduceTo: input.decision === "reduce" ? input.reduceTo! : null,
      reduceExpiresAt: input.decision === "reduce" ? (input.expiresAt ?? null) : null,
      version: sql`${reviewItems.version} + 1`,
    })
    .where(sql`${reviewItems.id} = any(${ids})`);
  for (const [itemId, revocationId] of revocationIds) await tx.update(reviewItems).set({ revocationId }).where(eq(reviewItems.id, itemId));

  await recordAuditMany(
    tx,
    rows.map(({ item, campaign }) => ({
      actor: who,
      action: "review.decided",
      entityType: "review_item",
      entityId: item.id,
      before: { decision: item.decision, status: item.status },
      after: {
        decision: input.decision,
        bulk: ctx.bulk,
        secondsSpent: ctx.secondsSpent,
        revocationId: revocationIds.get(item.id) ?? null,
        removals: campaign.removals,
        secondStage: secondStage.has(item.id),
        reduceTo: input.reduceTo ?? null,
      },
      reason: input.comment ?? null,
      at: ctx.at,
    })),
  );
  await publishEvents(deps, tx, {
    type: "review.decided",
    items: rows.map(({ item, campaign }) => ({ campaignId: campaign.id, reviewItemId: item.id, grantId: item.grantId, decision: input.decision, decidedBy: actor.id, bulk: ctx.bulk })),
    at: ctx.at,
  });
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/**
 * A first-stage certification that is changed takes its second-stage item with it, unless the
 * second stage already decided (then the change is refused).
 */
async function withdrawSecondStage(tx: Executor, campaignId: string, subjectKey: string) {
  const [second] = await tx
    .select({ id: reviewItems.id, status: reviewItems.status })
    .from(reviewItems)
    .where(and(eq(reviewItems.campaignId, campaignId), eq(reviewItems.subjectKey, subjectKey), eq(reviewItems.stage, 2)))
    .for("update");
  if (!second) return;
  if (second.status === "decided") throw new Conflict("The second stage has already decided this item; its decision stands.");
  await tx.delete(reviewItems).where(eq(reviewItems.id, second.id));
}

export const undoDecisionInput = z.object({ itemId: z.uuid(), version: z.coerce.number().int().min(0) });

/**
 * Takes a decision back (the `u` key): the item is undecided again, and the undone decision
 * stays in its history. Possible until the campaign closes, unless a removal is already under way.
 */
export async function undoDecision(deps: Deps, actor: Actor, input: z.infer<typeof undoDecisionInput>) {
  return deps.db.transaction(async (tx) => {
    const [row] = await lockItems(tx, [input.itemId]);
    if (!row) throw new NotFound("That review item");
    const rule = canDecideReviewItem(actor, { reviewerId: row.item.reviewerId, identityId: row.item.identityId, status: row.item.status, campaignStatus: row.campaign.status });
    if (!rule.allowed) throw new Forbidden(rule.reason);
    if (row.item.version !== input.version) throw new Conflict("This item changed since you opened it. Reload to see the current state.");
    if (!row.item.decision) throw new Conflict("This item has no decision to undo.");
    if (row.item.revocationId) throw new Forbidden("This access is already being removed; a revocation under way cannot be taken back from the review.");
    if (row.item.decision === "certify" && row.item.stage === 1) await withdrawSecondStage(tx, row.campaign.id, row.item.subjectKey);
    const at = deps.now();
    await tx
      .update(reviewDecisions)
      .set({ undoneAt: at })
      .where(and(eq(reviewDecisions.reviewItemId, row.item.id), isNull(reviewDecisions.undoneAt)));
    await tx
      .update(reviewItems)
      .set({ status: "pending", decision: null, decidedById: null, decidedAt: null, comment: null, reduceTo: null, reduceExpiresAt: null, version: sql`${reviewItems.version} + 1` })
      .where(eq(reviewItems.id, row.item.id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "review.undone",
      entityType: "review_item",
      entityId: row.item.id,
      before: { decision: row.item.decision },
      after: { decision: null },
      at,
    });
    return { itemId: row.item.id };
  });
}
