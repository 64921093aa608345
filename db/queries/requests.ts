import { and, asc, eq, lt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accessRequests, approvalSteps, entitlements, grants } from "@/db/schema";

/** The step with its request and entitlement, locked so two approvers cannot decide it at once. */
export async function getStepForDecision(db: Executor, args: { stepId: string }) {
  const [row] = await db
    .select({
      step: approvalSteps,
      request: accessRequests,
      entitlement: { id: entitlements.id, privileged: entitlements.privileged, twoPersonRule: entitlements.twoPersonRule, maxDurationMinutes: entitlements.maxDurationMinutes },
    })
    .from(approvalSteps)
    .innerJoin(accessRequests, eq(accessRequests.id, approvalSteps.requestId))
    .innerJoin(entitlements, eq(entitlements.id, accessRequests.entitlementId))
    .where(eq(approvalSteps.id, args.stepId))
    .for("update", { of: [approvalSteps, accessRequests] });
  if (!row) return null;
  const earlier = await db
    .select({ decidedById: approvalSteps.decidedById })
    .from(approvalSteps)
    .where(and(eq(approvalSteps.requestId, row.request.id), lt(approvalSteps.position, row.step.position), eq(approvalSteps.status, "approved")));
  return { ...row, earlierApproverIds: earlier.map((e) => e.decidedById).filter((id): id is string => Boolean(id)) };
}

export async function updateStep(db: Executor, args: { stepId: string; values: Partial<typeof approvalSteps.$inferInsert> }) {
  await db.update(approvalSteps).set(args.values).where(eq(approvalSteps.id, args.stepId));
}

export async function nextWaitingStep(db: Executor, args: { requestId: string; afterPosition: number }) {
  const [row] = await db
    .select({ id: approvalSteps.id })
    .from(approvalSteps)
    .where(and(eq(approvalSteps.requestId, args.requestId), eq(approvalSteps.status, "waiting"), sql`${approvalSteps.position} > ${args.afterPosition}`))
    .orderBy(asc(approvalSteps.position))
    .limit(1);
  return row ?? null;
}

export async function updateRequest(db: Executor, args: { requestId: string; values: Partial<typeof accessRequests.$inferInsert> }) {
  await db.update(accessRequests).set(args.values).where(eq(accessRequests.id, args.requestId));
}

export async function insertGrant(db: Executor, values: typeof grants.$inferInsert) {
  const [row] = await db.insert(grants).values(values).returning({ id: grants.id });
  return row!;
}

/** The shortest duration any approver allowed so far: "approve shorter" can only shrink access. */
export async function shortestApprovedDuration(db: Executor, args: { requestId: string }): Promise<number | null> {
  const [row] = await db
    .select({ minutes: sql<number | null>`min(${approvalSteps.approvedDurationMinutes})` })
    .from(approvalSteps)
    .where(and(eq(approvalSteps.requestId, args.requestId), eq(approvalSteps.status, "approved")));
  return row?.minutes ?? null;
}
