import { z } from "zod";
import { getRequestWithSteps } from "@/db/queries/grants";
import { getSession, isSessionVisible, listSessionEvents, listSessionSources, listSessions, type SessionFilters } from "@/db/queries/sessions";
import { NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";

const flag = z
  .enum(["1", "0"])
  .optional()
  .catch(undefined)
  .transform((v) => (v === undefined ? undefined : v === "1"));

/** The session list's filters, from the URL: anything malformed is dropped rather than an error. */
export const sessionFiltersSchema = z.object({
  identityId: z.uuid().optional().catch(undefined),
  applicationId: z.uuid().optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  application: z.string().trim().max(100).optional().catch(undefined),
  source: z.string().trim().max(100).optional().catch(undefined),
  privileged: flag,
  withoutApproval: flag,
  unmatched: flag,
  cursor: z.string().max(500).optional().catch(undefined),
});

export async function browseSessions(deps: Deps, actor: Actor, filters: SessionFilters) {
  const [page, sources] = await Promise.all([scopeOf(deps.db, actor).then((scope) => listSessions(deps.db, { scope, filters })), listSessionSources(deps.db)]);
  return { ...page, sources };
}

/** One session with everything that explains it: who, where, how long, and the approval that allowed it, or that none did. */
export async function getSessionStory(deps: Deps, actor: Actor, id: string) {
  if (!/^\d{1,15}$/.test(id)) throw new NotFound("That session");
  const sessionId = Number(id);
  if (!(await isSessionVisible(deps.db, { scope: await scopeOf(deps.db, actor), sessionId }))) throw new NotFound("That session");
  const row = await getSession(deps.db, { sessionId });
  if (!row) throw new NotFound("That session");
  const [request, events] = await Promise.all([
    row.grant?.requestId ? getRequestWithSteps(deps.db, { requestId: row.grant.requestId }) : Promise.resolve(null),
    listSessionEvents(deps.db, { sessionId, limit: 200 }),
  ]);
  return { ...row, request, events };
}
