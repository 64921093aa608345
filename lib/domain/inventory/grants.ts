import { z } from "zod";
import {
  getGrant,
  getRequestWithSteps,
  isGrantVisible,
  listGrantActivations,
  listGrantFindings,
  listGrantReviews,
  listGrantRevocations,
  listGrantSessions,
  listGrants,
  type GrantFilters,
} from "@/db/queries/grants";
import { listApplicationOwnerIds, listRevocationAttempts } from "@/db/queries/revocations";
import { NotFound } from "@/lib/errors";
import { canAttestRevocation, canRetryRevocation, canRevokeGrant } from "@/lib/domain/access/rules";
import type { Actor } from "@/lib/domain/access/actor";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";

export const grantFiltersSchema = z.object({
  applicationId: z.uuid().optional().catch(undefined),
  identityId: z.uuid().optional().catch(undefined),
  kind: z.enum(["standing", "time_bound", "eligible"]).optional().catch(undefined),
  status: z.enum(["active", "pending_revocation", "revoked", "expired"]).optional().catch(undefined),
  privileged: z
    .enum(["1", "0"])
    .optional()
    .catch(undefined)
    .transform((v) => (v === undefined ? undefined : v === "1")),
  q: z.string().trim().max(100).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

export async function browseGrants(deps: Deps, actor: Actor, filters: GrantFilters) {
  return listGrants(deps.db, { scope: await scopeOf(deps.db, actor), filters });
}

/** The full story of one grant: how it came to exist, how it was used, reviewed and revoked. */
export async function getGrantStory(deps: Deps, actor: Actor, grantId: string) {
  if (!z.uuid().safeParse(grantId).success) throw new NotFound("That grant");
  if (!(await isGrantVisible(deps.db, { scope: await scopeOf(deps.db, actor), grantId }))) throw new NotFound("That grant");
  const grant = await getGrant(deps.db, { grantId });
  if (!grant) throw new NotFound("That grant");
  const [request, sessions, activations, reviews, revocations, findings] = await Promise.all([
    grant.grant.requestId ? getRequestWithSteps(deps.db, { requestId: grant.grant.requestId }) : Promise.resolve(null),
    listGrantSessions(deps.db, { grantId, limit: 200 }),
    listGrantActivations(deps.db, { grantId }),
    listGrantReviews(deps.db, { grantId }),
    listGrantRevocations(deps.db, { grantId }),
    listGrantFindings(deps.db, { grantId }),
  ]);
  // Receipts of every revocation, and what this viewer may do about each (retry a failure, attest a manual removal).
  const [attempts, applicationOwnerIds] = await Promise.all([
    listRevocationAttempts(deps.db, { revocationIds: revocations.map((r) => r.id) }),
    listApplicationOwnerIds(deps.db, { applicationId: grant.application.id }),
  ]);
  const revocationsWithReceipts = revocations.map((r) => {
    const facts = { status: r.status, connectorKind: r.connectorKind === "none" ? "manual" : r.connectorKind, holderId: grant.identity.id, applicationOwnerIds };
    return {
      ...r,
      overdue: ["requested", "dispatched", "applied"].includes(r.status) && r.slaDueAt.getTime() < deps.now().getTime(),
      receipts: attempts.filter((a) => a.revocationId === r.id),
      mayRetry: canRetryRevocation(actor, facts).allowed,
      mayAttest: canAttestRevocation(actor, facts).allowed,
    };
  });
  const mayRevoke = canRevokeGrant(actor, { status: grant.grant.status, applicationOwnerIds }).allowed;
  return { ...grant, request, sessions, activations, reviews, revocations: revocationsWithReceipts, findings, mayRevoke };
}
