import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiTokens, auditEvents } from "@/db/schema";
import { Forbidden, Unauthenticated } from "@/lib/errors";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { authenticateApiToken, createApiToken, revokeApiToken } from "./api-tokens";

const deps = testDeps();

describe("API tokens", () => {
  it("shows the secret once, stores only its hash, and authenticates by scope", async () => {
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const { id, secret } = await createApiToken(deps, admin, { name: "Okta production", scopes: ["scim"], source: "okta-prod" });
    expect(secret).toMatch(/^acc_[A-Za-z0-9_-]{43}$/);
    const leaked = await testDb.execute(sql`select 1 from api_tokens where token_hash = ${secret} or prefix = ${secret}`);
    expect(leaked).toHaveLength(0);

    const principal = await authenticateApiToken(deps, `Bearer ${secret}`, "scim");
    expect(principal).toMatchObject({ id, source: "okta-prod", scopes: ["scim"] });
    await expect(authenticateApiToken(deps, `Bearer ${secret}`, "events:write")).rejects.toBeInstanceOf(Forbidden);
    await expect(authenticateApiToken(deps, "Bearer acc_nope", "scim")).rejects.toBeInstanceOf(Unauthenticated);
    await expect(authenticateApiToken(deps, null, "scim")).rejects.toBeInstanceOf(Unauthenticated);
    const [row] = await testDb.select({ lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.lastUsedAt).not.toBeNull();
  });

  it("refuses a revoked token on its very next use, and audits create and revoke", async () => {
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const { id, secret } = await createApiToken(deps, admin, { name: "Ingest", scopes: ["events:write"], source: "teleport" });
    await revokeApiToken(deps, admin, { tokenId: id });
    await expect(authenticateApiToken(deps, `Bearer ${secret}`, "events:write")).rejects.toBeInstanceOf(Unauthenticated);
    const trail = await testDb.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, id)).orderBy(auditEvents.id);
    expect(trail.map((t) => t.action)).toEqual(["api_token.created", "api_token.revoked"]);
  });

  it("lets only admins create tokens", async () => {
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    await expect(createApiToken(deps, auditor, { name: "nope", scopes: ["admin"] })).rejects.toBeInstanceOf(Forbidden);
  });
});
