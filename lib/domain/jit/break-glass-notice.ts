import type { Executor } from "@/db/client";
import { filterActiveHumans, listActiveAdminIds } from "@/db/queries/activations";
import { notify } from "@/lib/domain/notifications/notify";

/**
 * Who is paged when the glass is broken: the application's owners, the entitlement's owner and
 * the holder's manager (or, for a non-human identity, its owner), except whoever broke it. When
 * that leaves nobody, every active admin.
 */
export async function breakGlassRecipients(
  tx: Executor,
  args: { applicationOwnerIds: string[]; entitlementOwnerId: string | null; holder: { holderKind: string; holderManagerId: string | null; holderOwnerId: string | null }; actorId: string },
): Promise<string[]> {
  const responsible = args.holder.holderKind === "human" ? args.holder.holderManagerId : args.holder.holderOwnerId;
  const candidates = [...new Set([...args.applicationOwnerIds, args.entitlementOwnerId, responsible])].filter((id): id is string => Boolean(id) && id !== args.actorId);
  const active = await filterActiveHumans(tx, { ids: candidates });
  return active.length > 0 ? active : (await listActiveAdminIds(tx)).filter((id) => id !== args.actorId);
}

export async function notifyBreakGlass(
  tx: Executor,
  args: {
    found: { applicationOwnerIds: string[]; entitlement: { ownerId: string | null }; holder: { holderKind: string; holderManagerId: string | null; holderOwnerId: string | null } };
    actorId: string;
    grantId: string;
    activationId: string;
    subject: string;
    body: string;
    at: Date;
  },
): Promise<string[]> {
  const recipientIds = await breakGlassRecipients(tx, {
    applicationOwnerIds: args.found.applicationOwnerIds,
    entitlementOwnerId: args.found.entitlement.ownerId,
    holder: args.found.holder,
    actorId: args.actorId,
  });
  await notify(tx, {
    recipientIds,
    kind: "break_glass.activated",
    subject: args.subject,
    body: args.body,
    link: `/grants/${args.grantId}`,
    dedupeKey: `break_glass:${args.activationId}`,
    at: args.at,
  });
  return recipientIds;
}
