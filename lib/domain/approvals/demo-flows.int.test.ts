import { and, asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activations, approvalSteps, entitlements, grants, identities, reviewItems, revocations } from "@/db/schema";
import { loadOrganisation } from "@/lib/demo/load";
import { actorFor } from "@/lib/testing/factories";
import { testDatabaseUrl, testDb, testDeps } from "@/lib/testing/test-db";
import { activateGrant, activateInput } from "@/lib/domain/jit/activate";
import { sweepAccessExpiry } from "@/lib/domain/jit/expire";
import { decideApprovalStep } from "./decide-step";
import { submitAccessRequest, submitRequestInput } from "./submit-request";

/** The flows of issue 6 on the demo organisation itself, the data a visitor clicks through. */
const NOW = new Date("2026-03-01T12:00:00Z");
let clock = NOW;
const deps = testDeps(() => clock);

async function personId(email: string) {
  const [row] = await testDb.select({ id: identities.id }).from(identities).where(eq(identities.email, email));
  return row!.id;
}

async function entitlementId(app: string, name: string) {
  const [row] = await testDb.execute<{ id: string }>(sql`select e.id from entitlements e join applications a on a.id = e.application_id where a.name = ${app} and e.name = ${name}`);
  return row!.id;
}

beforeAll(async () => {
  await loadOrganisation(testDatabaseUrl, { seed: 42, now: NOW, scale: "demo" });
}, 180_000);

describe("the demo organisation", () => {
  it("lets Erin request JIT AdministratorAccess, approved by Maya then Omar, and activate it for an hour", async () => {
    const erin = await personId("erin.employee@accord.example");
    const maya = await personId("maya.manager@accord.example");
    const omar = await personId("omar.owner@accord.example");
    const admin = await entitlementId("AWS production", "AdministratorAccess");
    const { requestId } = await submitAccessRequest(
      deps,
      await actorFor(testDb, erin),
      submitRequestInput.parse({ entitlementId: admin, beneficiaryId: erin, kind: "eligible", justification: "Rotate the production KMS keys", ticket: "ENG-6001" }),
    );
    const steps = await testDb.select().from(approvalSteps).where(eq(approvalSteps.requestId, requestId)).orderBy(asc(approvalSteps.position));
    expect(steps.map((s) => [s.rule, s.status, s.approverId])).toEqual([
      ["manager", "pending", maya],
      ["app_owner", "waiting", null],
      ["entitlement_owner", "waiting", null],
    ]);
    await decideApprovalStep(deps, await actorFor(testDb, maya), { stepId: steps[0]!.id, decision: "approve" });
    const done = await decideApprovalStep(deps, await actorFor(testDb, omar), { stepId: steps[1]!.id, decision: "approve" });
    expect(done.outcome).toBe("fulfilled");
    const { endsAt } = await activateGrant(
      deps,
      await actorFor(testDb, erin),
      activateInput.parse({ grantId: done.grantId!, durationMinutes: 60, justification: "Rotate the production KMS keys", ticket: "ENG-6001" }),
    );
    expect(endsAt.getTime() - NOW.getTime()).toBe(3_600_000);
  });

  it("has break-glass entitlements whose holders can break the glass, opening a review for someone else", async () => {
    const glass = await testDb.select({ id: entitlements.id }).from(entitlements).where(eq(entitlements.breakGlass, true));
    expect(glass.length).toBeGreaterThanOrEqual(1);
    const omar = await personId("omar.owner@accord.example");
    const [grant] = await testDb
      .select({ id: grants.id })
      .from(grants)
      .where(and(eq(grants.identityId, omar), eq(grants.entitlementId, await entitlementId("AWS production", "break-glass root")), eq(grants.kind, "eligible")));
    const result = await activateGrant(
      deps,
      await actorFor(testDb, omar),
      activateInput.parse({ grantId: grant!.id, durationMinutes: 30, justification: "SSO is down during INC-9001", breakGlass: "true", incidentId: "INC-9001" }),
    );
    const [item] = await testDb.select().from(reviewItems).where(eq(reviewItems.id, result.reviewItemId!));
    expect(item!.reviewerId).toBeTruthy();
    expect(item!.reviewerId).not.toBe(omar);
  });

  it("ends the running demo window and revokes the expired time-bound grant once the sweep runs", async () => {
    clock = new Date(NOW.getTime() + 3 * 3_600_000);
    try {
      const result = await sweepAccessExpiry(deps);
      expect(result.activations).toBeGreaterThanOrEqual(1);
      const kai = await personId("kai.lund@accord.example");
      const [expired] = await testDb
        .select({ status: grants.status, cause: revocations.cause })
        .from(grants)
        .innerJoin(revocations, eq(revocations.grantId, grants.id))
        .where(and(eq(grants.identityId, kai), eq(grants.kind, "time_bound")));
      expect(expired).toEqual({ status: "pending_revocation", cause: "expiry" });
      const [open] = await testDb
        .select({ n: sql<number>`count(*)::int` })
        .from(activations)
        .where(and(eq(activations.status, "active"), sql`${activations.endsAt} <= ${clock.toISOString()}::timestamptz`));
      expect(open!.n).toBe(0);
    } finally {
      clock = NOW;
    }
  });
});
