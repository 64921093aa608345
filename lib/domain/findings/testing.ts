/** Builders the findings tests share: evidence and records the common factories do not make. */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { campaigns, findings, reviewItems, revocations, sodRuleEntitlements, sodRules, usageEvents } from "@/db/schema";
import type { Deps } from "@/lib/domain/deps";
import * as factories from "@/lib/testing/factories";
import { makeApplication, makeEntitlement, makePerson } from "@/lib/testing/factories";
import { recomputeFindings } from "./recompute";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/** An application with an owner and one entitlement in it. */
export async function makeAccess(db: Executor, input: { privileged?: boolean; risk?: "low" | "medium" | "high" | "critical"; breakGlass?: boolean } = {}) {
  const owner = await makePerson(db);
  const app = await makeApplication(db, { ownerIds: [owner.id] });
  const entitlement = await makeEntitlement(db, { applicationId: app.id, privileged: input.privileged ?? true, riskLevel: input.risk ?? "high", breakGlass: input.breakGlass ?? false });
  return { owner, app, entitlement };
}

/** A JIT window that ended when it was due to, unless told otherwise. */
export async function makeActivation(
  db: Executor,
  input: { grantId: string; identityId: string; startsAt: Date; endsAt: Date; endedAt?: Date | null; breakGlass?: boolean; status?: "active" | "ended" | "expired" },
) {
  return factories.makeActivation(db, { status: "expired", endedAt: input.endsAt, ...input });
}

export async function makeUsageEvent(
  db: Executor,
  input: { identityId: string; entitlementId: string; applicationId?: string; grantId?: string | null; occurredAt: Date; failed?: boolean; isUse?: boolean },
) {
  const [row] = await db
    .insert(usageEvents)
    .values({ source: "test", sourceEventId: randomUUID(), kind: "api_call", action: "GET /things", ...input })
    .returning();
  return row!;
}

export async function makeAccount(db: Executor, input: { applicationId: string; identityId: string | null; status?: "active" | "disabled" | "deleted"; lastLoginAt?: Date }) {
  return factories.makeAccount(db, { username: `acct-${randomUUID().slice(0, 8)}`, ...input });
}

export async function makeRevocation(
  db: Executor,
  input: { grantId: string; status: "requested" | "dispatched" | "applied" | "verified" | "failed"; requestedAt: Date; slaDueAt: Date; verifiedAt?: Date | null; appliedAt?: Date | null },
) {
  const [row] = await db
    .insert(revocations)
    .values({ cause: "admin", causeRef: randomUUID(), connectorKind: "manual", idempotencyKey: randomUUID(), ...input })
    .returning();
  return row!;
}

/** A separation-of-duties rule over the given entitlements, written directly (the rule service is tested on its own). */
export async function makeSodRule(db: Executor, input: { entitlementIds: string[]; name?: string; severity?: "low" | "medium" | "high" | "critical" }) {
  const [row] = await db
    .insert(sodRules)
    .values({ name: input.name ?? `Rule ${randomUUID().slice(0, 6)}`, severity: input.severity ?? "high" })
    .returning();
  await db.insert(sodRuleEntitlements).values(input.entitlementIds.map((entitlementId) => ({ ruleId: row!.id, entitlementId })));
  return row!;
}

/** A decided review item about a break-glass activation, in a campaign of its own. */
export async function makeDecidedBreakGlassReview(db: Executor, input: { activationId: string; grantId: string; identityId: string; entitlementId: string; reviewerId: string; at: Date }) {
  const [campaign] = await db
    .insert(campaigns)
    .values({ name: `Break-glass ${randomUUID().slice(0, 6)}`, scope: {}, reviewerRule: "app_owner", adHoc: true, status: "active" })
    .returning();
  await db.insert(reviewItems).values({
    campaignId: campaign!.id,
    grantId: input.grantId,
    subjectKey: `break_glass:${input.activationId}`,
    identityId: input.identityId,
    entitlementId: input.entitlementId,
    reviewerId: input.reviewerId,
    status: "decided",
    decision: "certify",
    decidedById: input.reviewerId,
    decidedAt: input.at,
  });
}

export const recomputeAt = (deps: (now: Date) => Deps, now: Date) => recomputeFindings(deps(now), "system");

export async function findingFor(db: Executor, dedupeKey: string) {
  const [row] = await db.select().from(findings).where(eq(findings.dedupeKey, dedupeKey));
  return row ?? null;
}

export async function openFindingsAbout(db: Executor, kind: (typeof findings.$inferSelect)["kind"], identityId: string) {
  return db
    .select()
    .from(findings)
    .where(and(eq(findings.kind, kind), eq(findings.identityId, identityId), eq(findings.status, "open")));
}

export { makePerson };
