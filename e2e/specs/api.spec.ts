import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { JobQueue } from "@/lib/jobs/queue";
import { createApiToken } from "@/lib/domain/tokens/api-tokens";
import { e2eState } from "../fixtures/state";
import { expect, test } from "../fixtures/test";

test.describe("the HTTP API", () => {
  test("serves grants to a token with evidence:read, and refuses the rest", async ({ request, db, person }) => {
    const alex = await person("admin");
    const admin = (await loadActiveActorByEmail(db, alex.email))!;
    const deps = { db, now: () => new Date(), jobs: new JobQueue(e2eState().databaseUrl) };
    const reader = await createApiToken(deps, admin, { name: "SIEM reader", scopes: ["evidence:read"] });
    const scimOnly = await createApiToken(deps, admin, { name: "Okta", scopes: ["scim"], source: "okta-e2e" });

    const ok = await request.get("/api/v1/grants?limit=5&kind=standing", { headers: { authorization: `Bearer ${reader.secret}` } });
    expect(ok.status()).toBe(200);
    const page = await ok.json();
    expect(page.grants).toHaveLength(5);
    expect(page.grants[0]).toMatchObject({ kind: "standing", identity: expect.any(Object), application: expect.any(Object) });
    expect(page.nextCursor).toEqual(expect.any(String));

    expect((await request.get("/api/v1/grants")).status()).toBe(401);
    expect((await request.get("/api/v1/grants", { headers: { authorization: `Bearer ${scimOnly.secret}` } })).status()).toBe(403);
    const bad = await request.get("/api/v1/grants?kind=forever", { headers: { authorization: `Bearer ${reader.secret}` } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.fields).toHaveProperty("kind");

    const doc = await (await request.get("/api/v1/openapi.json")).json();
    expect(doc.paths["/api/v1/grants"].get.summary).toContain("evidence:read");
  });
});
