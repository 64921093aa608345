import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { grants, identities } from "@/db/schema";
import { makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { group, patchOps, scimCaller, scimToken, user } from "./test-client";

const deps = testDeps();

describe("SCIM source isolation (SECURITY.md promise 8)", () => {
  it("a token for source A cannot see, change or use source B's users and groups, nor identities of other sources", async () => {
    const a = await scimToken(testDb, deps);
    const b = await scimToken(testDb, deps);
    const scimA = scimCaller(deps, a.secret);
    const scimB = scimCaller(deps, b.secret);
    const outsider = await makePerson(testDb, { userName: "shared.name" });

    const bUser = await scimB("POST", "/Users", user("shared.name"));
    expect(bUser.status).toBe(201);
    const bGroup = await scimB("POST", "/Groups", group("Shared group", [bUser.json.id]));
    // The same userName in another source is no conflict: uniqueness is per source.
    const aUser = await scimA("POST", "/Users", user("Shared.Name", { emails: [] }));
    expect(aUser.status).toBe(201);
    const aGroup = await scimA("POST", "/Groups", group("Shared group"));
    expect(aGroup.status).toBe(201);

    for (const id of [bUser.json.id, outsider.id]) {
      expect((await scimA("GET", `/Users/${id}`)).status).toBe(404);
      expect((await scimA("PUT", `/Users/${id}`, user("taken"))).status).toBe(404);
      expect((await scimA("PATCH", `/Users/${id}`, patchOps({ op: "replace", path: "active", value: false }))).status).toBe(404);
      expect((await scimA("DELETE", `/Users/${id}`)).status).toBe(404);
      expect((await scimA("GET", `/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`)).json.totalResults).toBe(0);
      // Adding another source's user to A's group is refused exactly like an id that does not exist.
      const add = await scimA("PATCH", `/Groups/${aGroup.json.id}`, patchOps({ op: "add", path: "members", value: [{ value: id }] }));
      expect(add.status).toBe(400);
      expect(add.json.scimType).toBe("invalidValue");
      expect((await scimA("POST", "/Groups", group(`g-${id}`, [id]))).status).toBe(400);
    }
    for (const method of ["GET", "PATCH", "PUT", "DELETE"]) {
      const body = method === "PATCH" ? patchOps({ op: "remove", path: "members" }) : method === "PUT" ? group("x") : undefined;
      expect((await scimA(method, `/Groups/${bGroup.json.id}`, body)).status).toBe(404);
    }

    const listed = await scimA("GET", "/Users?count=1000");
    expect(listed.json.Resources.map((r: { id: string }) => r.id)).toEqual([aUser.json.id]);
    expect((await scimA("GET", `/Groups?filter=${encodeURIComponent(`members eq "${bUser.json.id}"`)}`)).json.totalResults).toBe(0);

    // B's data is untouched.
    const [bRow] = await testDb.select().from(identities).where(eq(identities.id, bUser.json.id));
    expect(bRow).toMatchObject({ status: "active", source: b.identitySource });
    expect(await testDb.select().from(grants).where(eq(grants.identityId, bUser.json.id))).toHaveLength(1);
    expect(await testDb.select().from(grants).where(eq(grants.entitlementId, aGroup.json.id))).toHaveLength(0);
    expect((await scimB("GET", `/Groups/${bGroup.json.id}`)).json.members).toHaveLength(1);
  });

  it("never gives a SCIM user an email another identity already has", async () => {
    const token = await scimToken(testDb, deps);
    const scim = scimCaller(deps, token.secret);
    const existing = await makePerson(testDb);
    const created = await scim("POST", "/Users", user("mallory", { emails: [{ value: existing.email!.toUpperCase(), primary: true }] }));
    expect(created.status).toBe(201);
    // The resource keeps what was written; the identity gets no email, and the other identity keeps its own.
    expect(created.json.emails[0].value).toBe(existing.email!.toUpperCase());
    const [row] = await testDb.select({ email: identities.email }).from(identities).where(eq(identities.id, created.json.id));
    expect(row!.email).toBeNull();
  });

  it("refuses a SCIM token that names no source", async () => {
    const token = await scimToken(testDb, deps);
    await testDb.execute(`update api_tokens set source = null where id = '${token.id}'` as never);
    expect((await scimCaller(deps, token.secret)("GET", "/Users")).status).toBe(403);
  });
});
