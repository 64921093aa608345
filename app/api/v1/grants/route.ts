import { listGrants } from "@/db/queries/grants";
import { EVERYTHING } from "@/db/queries/scope";
import { listGrantsQuery } from "@/lib/api/contracts";
import { apiRoute } from "@/lib/api/route";

/** Grants for other tools (SIEM, CMDB): everything, keyset-paged, newest first. Scope: evidence:read. */
export const GET = apiRoute({
  scope: "evidence:read",
  query: listGrantsQuery,
  run: async (deps, _token, { limit, ...filters }) => {
    const page = await listGrants(deps.db, { scope: EVERYTHING, filters: { ...filters, limit } });
    return {
      grants: page.rows.map((g) => ({
        id: g.id,
        kind: g.kind,
        status: g.status,
        source: g.source,
        grantedAt: g.grantedAt.toISOString(),
        expiresAt: g.expiresAt?.toISOString() ?? null,
        liveState: g.liveState,
        identity: { id: g.identityId, displayName: g.identityName, type: g.identityType, status: g.identityStatus },
        entitlement: { id: g.entitlementId, name: g.entitlementName, privileged: g.privileged, breakGlass: g.breakGlass },
        application: { id: g.applicationId, name: g.applicationName },
      })),
      nextCursor: page.nextCursor,
    };
  },
});
