import type { Executor } from "@/db/client";
import type { Deps } from "@/lib/domain/deps";
import { createApiToken } from "@/lib/domain/tokens/api-tokens";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { handleScimRequest, type ScimResponse } from "./handler";

/** Test support: a SCIM client calling handleScimRequest directly, as the Next route would. */
export interface ScimReply extends ScimResponse {
  json: any;
}

export type ScimCall = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ScimReply>;

export const BASE = "http://accord.test/api/scim/v2";

export function scimCaller(deps: Deps, token: string | null): ScimCall {
  return async (method, path, body, headers = {}) => {
    const raw = body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body);
    const response = await handleScimRequest(deps, {
      method,
      url: `${BASE}${path}`,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(raw !== null ? { "content-type": "application/scim+json" } : {}), ...headers },
      body: raw,
    });
    return { ...response, json: response.body ? JSON.parse(response.body) : null };
  };
}

/** A `scim` token for a fresh source (or the one given), created by a fresh admin. */
export async function scimToken(db: Executor, deps: Deps, options: { source?: string; scopes?: ("scim" | "admin")[] } = {}) {
  const admin = await actorFor(db, (await makePerson(db, { roles: ["admin"] })).id);
  const source = options.source ?? `idp-${Math.random().toString(36).slice(2, 10)}`;
  const { id, secret } = await createApiToken(deps, admin, { name: `SCIM ${source}`, scopes: options.scopes ?? ["scim"], source });
  return { id, secret, source, identitySource: `scim:${source}` };
}

export const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName,
  active: true,
  name: { givenName: "Test", familyName: userName },
  emails: [{ value: `${userName.toLowerCase()}@example.test`, type: "work", primary: true }],
  ...extra,
});

export const group = (displayName: string, memberIds: string[] = []) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  displayName,
  members: memberIds.map((value) => ({ value })),
});

export const patchOps = (...operations: Record<string, unknown>[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations });
