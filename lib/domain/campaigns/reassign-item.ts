import { z } from "zod";
import { and, eq, isNull, sql } from "drizzle-orm";
import { campaigns, identities, reviewDecisions, reviewItems } from "@/db/schema";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canDecideReviewItem } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { notify } from "@/lib/domain/notifications/notify";

export const reassignItemInput = z.object({
  itemId: z.uuid(),
  version: z.coerce.number().int().min(0),
  reassignToId: z.uuid("Choose who should review this item."),
  comment: z.string().trim().min(3, "Say why you are handing this item on.").max(2000),
});

/** Hands an undecided item to someone better placed to judge it; never to the person under review. */
export async function reassignItem(deps: Deps, actor: Actor, input: z.infer<typeof reassignItemInput>) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ item: reviewItems, campaignStatus: campaigns.status })
      .from(reviewItems)
      .innerJoin(campaigns, eq(campaigns.id, reviewItems.campaignId))
      .where(eq(reviewItems.id, input.itemId))
      .for("update", { of: reviewItems });
    if (!row) throw new NotFound("That review item");
    const rule = canDecideReviewItem(actor, { reviewerId: row.item.reviewerId, identityId: row.item.identityId, status: row.item.status, campaignStatus: row.campaignStatus });
    if (!rule.allowed) throw new Forbidden(rule.reason);
    if (row.item.version !== input.version) throw new Conflict("This item changed since you opened it. Reload to see the current state.");
    if (row.item.decision) throw new Invalid("Only an undecided item can be reassigned.");
    if (input.reassignToId === row.item.identityId) throw new Invalid("Nobody reviews their own access.", { reassignToId: ["Choose someone other than the person under review."] });
    if (input.reassignToId === actor.id) throw new Invalid("The item is already yours.", { reassignToId: ["Choose someone else."] });
    const [target] = await tx.select({ status: identities.status, kind: identities.kind, name: identities.displayName }).from(identities).where(eq(identities.id, input.reassignToId));
    if (!target || target.status !== "active" || target.kind !== "human") {
      throw new Invalid("Reviewers must be active people.", { reassignToId: ["Choose an active person."] });
    }

    const at = deps.now();
    await tx
      .update(reviewDecisions)
      .set({ undoneAt: at })
      .where(and(eq(reviewDecisions.reviewItemId, row.item.id), isNull(reviewDecisions.undoneAt)));
    await tx.insert(reviewDecisions).values({ reviewItemId: row.item.id, decision: "reassign", actorId: actor.id, comment: input.comment, reassignedToId: input.reassignToId, createdAt: at });
    await tx
      .update(reviewItems)
      .set({ reviewerId: input.reassignToId, reviewerReason: `Reassigned by ${actor.displayName}: ${input.comment}`, version: sql`${reviewItems.version} + 1` })
      .where(eq(reviewItems.id, row.item.id));
    await notify(tx, {
      recipientIds: [input.reassignToId],
      kind: "review.reassigned",
      subject: "An access review item was handed to you",
      body: `${actor.displayName} asked you to review an item: ${input.comment}`,
      link: `/reviews/${row.item.id}`,
      dedupeKey: `review.reassigned:${row.item.id}:${row.item.version + 1}`,
      at,
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "review.reassigned",
      entityType: "review_item",
      entityId: row.item.id,
      before: { reviewerId: row.item.reviewerId },
      after: { reviewerId: input.reassignToId },
      reason: input.comment,
      at,
    });
    return { itemId: row.item.id, reviewerName: target.name };
  });
}
