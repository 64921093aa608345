import { randomUUID } from "node:crypto";
import type { Executor } from "@/db/client";
import { accessRequests, accounts, activations, applicationOwners, applications, approvalSteps, entitlements, grants, identities, identityRoles, privilegedSessions } from "@/db/schema";
import { loadActiveActor } from "@/lib/domain/access/load-actor";
import type { Actor } from "@/lib/domain/access/actor";

/** Test data builders. Each call makes uniquely named rows so tests never collide. */
const unique = () => randomUUID().slice(0, 8);

type IdentityInput = Partial<typeof identities.$inferInsert>;

export async function makePerson(db: Executor, input: IdentityInput & { roles?: ("admin" | "auditor")[] } = {}) {
  const id = unique();
  const { roles = [], ...values } = input;
  const [row] = await db
    .insert(identities)
    .values({
      source: "test",
      externalId: id,
      kind: "human",
      type: "employee",
      displayName: `Person ${id}`,
      email: `person-${id}@test.example`,
      department: "Engineering",
      ...values,
    })
    .returning();
  for (const role of roles) await db.insert(identityRoles).values({ identityId: row!.id, role });
  return row!;
}

export async function makeNonHuman(db: Executor, input: IdentityInput & { ownerId: string | null }) {
  const id = unique();
  const [row] = await db
    .insert(identities)
    .values({ source: "test", externalId: id, kind: "non_human", type: "service_account", displayName: `svc-${id}`, ...input })
    .returning();
  return row!;
}

export async function makeApplication(db: Executor, input: { ownerIds?: string[]; name?: string } = {}) {
  const [app] = await db
    .insert(applications)
    .values({ source: "test", name: input.name ?? `App ${unique()}` })
    .returning();
  for (const identityId of input.ownerIds ?? []) await db.insert(applicationOwners).values({ applicationId: app!.id, identityId });
  return app!;
}

export async function makeEntitlement(db: Executor, input: Partial<typeof entitlements.$inferInsert> & { applicationId: string }) {
  const [row] = await db
    .insert(entitlements)
    .values({ name: `role-${unique()}`, ...input })
    .returning();
  return row!;
}

export async function makeGrant(db: Executor, input: Partial<typeof grants.$inferInsert> & { identityId: string; entitlementId: string }) {
  const [row] = await db
    .insert(grants)
    .values({ kind: "standing", source: "import", grantedAt: new Date(), ...input })
    .returning();
  return row!;
}

/** An account in an application; identityId null makes an orphan. */
export async function makeAccount(db: Executor, input: Partial<typeof accounts.$inferInsert> & { applicationId: string; identityId: string | null; username: string }) {
  const [row] = await db.insert(accounts).values(input).returning();
  return row!;
}

/** A JIT window on an eligible grant. */
export async function makeActivation(db: Executor, input: Partial<typeof activations.$inferInsert> & { grantId: string; identityId: string; startsAt: Date; endsAt: Date }) {
  const [row] = await db
    .insert(activations)
    .values({ justification: "Planned maintenance", status: "ended", ...input })
    .returning();
  return row!;
}

export async function makeSession(db: Executor, input: Partial<typeof privilegedSessions.$inferInsert> & { grantId: string | null; identityId: string | null; startedAt: Date; minutes: number }) {
  const { minutes, ...values } = input;
  const [row] = await db
    .insert(privilegedSessions)
    .values({
      source: "test",
      sourceSessionId: unique(),
      endedAt: new Date(input.startedAt.getTime() + minutes * 60_000),
      durationSeconds: minutes * 60,
      ...values,
    })
    .returning();
  return row!;
}

/** A pending request with one step per approver, the first one pending. */
export async function makeRequest(
  db: Executor,
  input: { requesterId: string; beneficiaryId?: string; entitlementId: string; approverIds: string[]; kind?: "standing" | "time_bound" | "eligible"; durationMinutes?: number },
) {
  const [request] = await db
    .insert(accessRequests)
    .values({
      requesterId: input.requesterId,
      beneficiaryId: input.beneficiaryId ?? input.requesterId,
      entitlementId: input.entitlementId,
      kind: input.kind ?? "time_bound",
      durationMinutes: input.durationMinutes ?? 480,
      justification: "Investigating an incident",
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
    })
    .returning();
  const steps = [];
  for (const [index, approverId] of input.approverIds.entries()) {
    const [step] = await db
      .insert(approvalSteps)
      .values({ requestId: request!.id, position: index + 1, rule: index === 0 ? "manager" : "app_owner", approverId, status: index === 0 ? "pending" : "waiting" })
      .returning();
    steps.push(step!);
  }
  return { request: request!, steps };
}

export async function actorFor(db: Executor, identityId: string): Promise<Actor> {
  const actor = await loadActiveActor(db, identityId);
  if (!actor) throw new Error(`identity ${identityId} cannot act (not an active human)`);
  return actor;
}
