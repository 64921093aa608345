import { deleteAuthSession, insertAuthSession } from "@/db/queries/auth";
import { DEMO_PEOPLE } from "@/lib/demo/people";
import { Forbidden } from "@/lib/errors";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import type { Deps } from "@/lib/domain/deps";
import { env } from "@/lib/env";
import { hashSessionToken, newSessionToken, SESSION_MAX_AGE_SECONDS } from "./session-token";

/**
 * Demo sign-in: one click as a seeded person. Possible only with ACCORD_DEMO on, and only for
 * the demo people, so a production deployment cannot be entered this way.
 */
export async function startDemoSession(deps: Deps, email: string): Promise<{ token: string; expires: Date }> {
  if (!env().ACCORD_DEMO) throw new Forbidden("Demo sign-in is turned off.");
  if (!DEMO_PEOPLE.some((p) => p.email === email)) throw new Forbidden("Only the demo people can sign in this way.");
  const actor = await loadActiveActorByEmail(deps.db, email);
  if (!actor) throw new Forbidden("That demo person cannot sign in (not active).");
  const token = newSessionToken();
  const at = deps.now();
  const expires = new Date(at.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
  await deps.db.transaction(async (tx) => {
    await insertAuthSession(tx, { tokenHash: hashSessionToken(token), identityId: actor.id, expiresAt: expires, method: "demo" });
    await recordAudit(tx, { actor: { kind: "human", id: actor.id, label: email }, action: "session.signed_in", entityType: "identity", entityId: actor.id, after: { method: "demo" }, at });
  });
  return { token, expires };
}

export async function endSession(deps: Deps, token: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const ended = await deleteAuthSession(tx, { tokenHash: hashSessionToken(token) });
    if (ended) {
      await recordAudit(tx, {
        actor: { kind: "human", id: ended.identityId, label: ended.identityId },
        action: "session.signed_out",
        entityType: "identity",
        entityId: ended.identityId,
        at: deps.now(),
      });
    }
  });
}
