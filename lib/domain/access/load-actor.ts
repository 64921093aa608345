import { getActorRow, getActorRowByEmail, type ActorRow } from "@/db/queries/actors";
import type { Executor } from "@/db/client";
import type { Actor } from "./actor";

function toActor(row: ActorRow): Actor {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    roles: row.roles ?? [],
    isManager: row.is_manager,
    isAppOwner: row.is_app_owner,
    isNhiOwner: row.is_nhi_owner,
  };
}

/**
 * The actor for a session, or null when the identity may not sign in: only active humans may.
 * Runs on every request, which is what makes suspension take effect immediately.
 */
export async function loadActiveActor(db: Executor, identityId: string): Promise<Actor | null> {
  const row = await getActorRow(db, { identityId });
  return row && row.status === "active" && row.kind === "human" ? toActor(row) : null;
}

export async function loadActiveActorByEmail(db: Executor, email: string): Promise<Actor | null> {
  const row = await getActorRowByEmail(db, { email });
  return row && row.status === "active" && row.kind === "human" ? toActor(row) : null;
}
