import type { AuditActor } from "@/lib/domain/audit/record-audit";

export type PlatformRole = "admin" | "auditor";

/**
 * The signed-in person, loaded from the database on every request (never from the client or a
 * long-lived token), so suspending someone takes effect on their next request.
 */
export interface Actor {
  id: string;
  displayName: string;
  email: string | null;
  roles: readonly PlatformRole[];
  /** Derived from the data: has direct reports / owns an application or entitlement / owns a non-human identity. */
  isManager: boolean;
  isAppOwner: boolean;
  isNhiOwner: boolean;
}

export function auditActor(actor: Actor): AuditActor {
  return { kind: "human", id: actor.id, label: actor.email ?? actor.displayName };
}

export const SYSTEM_ACTOR: AuditActor = { kind: "system", id: null, label: "accord" };
