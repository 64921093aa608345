import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { applications, grants, revocationAttempts, revocations } from "@/db/schema";
import { sealSecret } from "@/lib/crypto/secret-box";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { requestRevocation } from "@/lib/domain/revocations/request-revocation";
import { makeApplication, makeEntitlement, makeGrant, makePerson } from "./factories";

/** Polls until probe returns a value (no fixed sleeps in assertions). */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** An application with an owner, an admin, a holder with a grant, and the connector given. */
export async function revocationScenario(
  db: Db,
  input: {
    connectorKind: "scim" | "webhook" | "manual" | "none";
    config?: Record<string, unknown>;
    secret?: string;
    entitlementExternalId?: string;
    grantKind?: "standing" | "eligible" | "time_bound";
    holderEmail?: string;
  },
) {
  const owner = await makePerson(db);
  const admin = await makePerson(db, { roles: ["admin"] });
  const holder = await makePerson(db, input.holderEmail ? { email: input.holderEmail } : {});
  const app = await makeApplication(db, { ownerIds: [owner.id] });
  await db
    .update(applications)
    .set({ connectorKind: input.connectorKind, connectorConfig: input.config ?? {}, connectorSecret: input.secret ? sealSecret(input.secret) : null })
    .where(eq(applications.id, app.id));
  const entitlement = await makeEntitlement(db, { applicationId: app.id, externalId: input.entitlementExternalId ?? null, privileged: true });
  const kind = input.grantKind ?? "standing";
  const grant = await makeGrant(db, { identityId: holder.id, entitlementId: entitlement.id, kind, expiresAt: kind === "time_bound" ? new Date(Date.now() + 86_400_000) : null, liveState: "present" });
  return { owner, admin, holder, app, entitlement, grant };
}

export async function revoke(deps: Deps, grantId: string, causeRef = `test-${grantId}`) {
  return deps.db.transaction((tx) => requestRevocation(deps, tx, { grantId, cause: "admin", causeRef, actor: SYSTEM_ACTOR }));
}

export const revocationOf = (db: Db, id: string) =>
  db
    .select()
    .from(revocations)
    .where(eq(revocations.id, id))
    .then((r) => r[0]!);
export const grantOf = (db: Db, id: string) =>
  db
    .select()
    .from(grants)
    .where(eq(grants.id, id))
    .then((r) => r[0]!);
export const attemptsOf = (db: Db, id: string) => db.select().from(revocationAttempts).where(eq(revocationAttempts.revocationId, id)).orderBy(revocationAttempts.startedAt);

export async function settledRevocation(db: Db, id: string, timeoutMs?: number) {
  return waitFor(async () => {
    const row = await revocationOf(db, id);
    return row.status === "verified" || row.status === "failed" ? row : undefined;
  }, timeoutMs);
}
