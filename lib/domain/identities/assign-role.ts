import { z } from "zod";
import { getIdentity, insertRole, deleteRole, listRoles } from "@/db/queries/identities";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canAssignRole } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

export const setRoleInput = z.object({
  identityId: z.uuid(),
  role: z.enum(["admin", "auditor"]),
  assigned: z.stringbool().or(z.boolean()),
});

/** Admin and auditor are kept apart: an auditor who could configure would audit their own changes. */
export async function setPlatformRole(deps: Deps, actor: Actor, input: z.infer<typeof setRoleInput>) {
  const rule = canAssignRole(actor, input.identityId);
  if (!rule.allowed) throw new Forbidden(rule.reason);
  return deps.db.transaction(async (tx) => {
    const identity = await getIdentity(tx, { identityId: input.identityId });
    if (!identity) throw new NotFound("That identity");
    if (identity.kind !== "human" || identity.status !== "active") throw new Invalid("Roles can only be given to active people.");
    const at = deps.now();
    let changed: boolean;
    if (input.assigned) {
      const current = await listRoles(tx, { identityIds: [input.identityId] });
      const other = input.role === "admin" ? "auditor" : "admin";
      if (current.some((r) => r.role === other)) throw new Conflict(`${identity.displayName} is an ${other}; remove that role first.`);
      changed = await insertRole(tx, { identityId: input.identityId, role: input.role, grantedById: actor.id, at });
    } else {
      changed = await deleteRole(tx, { identityId: input.identityId, role: input.role });
    }
    if (changed) {
      await recordAudit(tx, {
        actor: auditActor(actor),
        action: input.assigned ? "identity.role_assigned" : "identity.role_removed",
        entityType: "identity",
        entityId: input.identityId,
        after: { role: input.role },
        at,
      });
    }
    return { changed };
  });
}
