import { describe, expect, it } from "vitest";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { group, patchOps, scimCaller, scimToken, user } from "./test-client";

const deps = testDeps();
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

describe("SCIM queries: filters, paging, projection, discovery", () => {
  it("filters in SQL on mapped columns and on the stored document", async () => {
    const token = await scimToken(testDb, deps);
    const scim = scimCaller(deps, token.secret);
    const ids: Record<string, string> = {};
    for (const [name, extra] of [
      ["alice", { title: "Engineer", [ENTERPRISE]: { department: "R&D" }, emails: [{ value: "alice@corp.example", type: "work", primary: true }] }],
      ["albert", { title: "Designer", active: false, emails: [{ value: "albert@home.example", type: "home" }] }],
      ["bea", { title: "engineer", name: { familyName: "Smith" }, emails: [{ value: "bea@corp.example", type: "work" }] }],
    ] as const) {
      ids[name] = (await scim("POST", "/Users", user(name, extra))).json.id;
    }
    const total = async (filter: string) => {
      const reply = await scim("GET", `/Users?${q(filter)}`);
      expect(reply.status, `${filter}: ${reply.body}`).toBe(200);
      return reply.json.totalResults;
    };
    expect(await total('userName sw "AL"')).toBe(2);
    expect(await total('userName ew "ce"')).toBe(1);
    expect(await total('title eq "ENGINEER"')).toBe(2);
    expect(await total("active eq false")).toBe(1);
    expect(await total('active ne false and title co "gine"')).toBe(2);
    expect(await total('not (userName eq "alice")')).toBe(2);
    expect(await total(`${ENTERPRISE}:department eq "r&d"`)).toBe(1);
    expect(await total('emails.value co "@corp."')).toBe(2);
    expect(await total('emails[type eq "work" and value sw "bea"]')).toBe(1);
    expect(await total('name.familyName eq "smith" or userName eq "albert"')).toBe(2);
    expect(await total("title pr")).toBe(3);
    expect(await total(`id eq "${ids.bea}"`)).toBe(1);
    expect(await total('id eq "not-a-uuid"')).toBe(0);
    expect(await total(`meta.created gt "2000-01-01T00:00:00Z"`)).toBe(3);
    // Bare words are read as strings, as Microsoft's clients send them.
    expect(await total("userName sw al")).toBe(2);
    expect(await total("meta.lastModified ge 2000-01-01T00:00:00Z")).toBe(3);
  });

  it("pages with startIndex/count and projects with attributes/excludedAttributes", async () => {
    const token = await scimToken(testDb, deps);
    const scim = scimCaller(deps, token.secret);
    for (const name of ["p1", "p2", "p3", "p4", "p5"]) await scim("POST", "/Users", user(name));
    const all = (await scim("GET", "/Users")).json;
    const first = (await scim("GET", "/Users?startIndex=1&count=2")).json;
    const second = (await scim("GET", "/Users?startIndex=3&count=2")).json;
    const last = (await scim("GET", "/Users?startIndex=5&count=2")).json;
    expect([first.totalResults, first.itemsPerPage, first.startIndex]).toEqual([5, 2, 1]);
    expect([...first.Resources, ...second.Resources, ...last.Resources].map((r: { id: string }) => r.id)).toEqual(all.Resources.map((r: { id: string }) => r.id));
    expect((await scim("GET", "/Users?count=0")).json).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });

    const projected = (await scim("GET", "/Users?attributes=USERNAME,emails.value&count=1")).json.Resources[0];
    expect(Object.keys(projected).sort()).toEqual(["emails", "id", "schemas", "userName"]);
    expect(projected.emails).toEqual([{ value: expect.stringContaining("@example.test") }]);
    const excluded = (await scim("GET", "/Users?excludedAttributes=emails,meta&count=1")).json.Resources[0];
    expect(excluded.emails).toBeUndefined();
    expect(excluded.userName).toBeDefined();
    const filtered = (await scim("GET", `/Users?attributes=${encodeURIComponent('emails[type eq "work"]')}&count=1`)).json.Resources[0];
    expect(filtered.emails).toHaveLength(1);

    const search = await scim("POST", "/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "p3"', attributes: ["userName"] });
    expect(search.json.Resources).toEqual([{ schemas: expect.any(Array), id: expect.any(String), userName: "p3" }]);
  });

  it("filters groups by displayName and member, and can leave members out", async () => {
    const token = await scimToken(testDb, deps);
    const scim = scimCaller(deps, token.secret);
    const u = (await scim("POST", "/Users", user("member"))).json.id;
    const g = (await scim("POST", "/Groups", group("Engineering", [u]))).json.id;
    await scim("POST", "/Groups", group("Sales"));
    const byName = (await scim("GET", `/Groups?${q('displayName eq "engineering"')}&excludedAttributes=members`)).json;
    expect(byName.totalResults).toBe(1);
    expect(byName.Resources[0].members).toBeUndefined();
    expect((await scim("GET", `/Groups?${q(`members[value eq "${u}"]`)}`)).json.Resources.map((r: { id: string }) => r.id)).toEqual([g]);
    expect((await scim("GET", `/Groups?${q(`id eq "${g}" and members.value eq "${u}"`)}`)).json.totalResults).toBe(1);
    // Entra ID's remove-by-value and PUT's exact member list.
    await scim("PATCH", `/Groups/${g}`, patchOps({ op: "Remove", path: "members", value: [{ value: u }] }));
    expect((await scim("GET", `/Groups/${g}`)).json.members).toBeUndefined();
    const put = await scim("PUT", `/Groups/${g}`, group("Engineering", [u]));
    expect(put.json.members.map((m: { value: string }) => m.value)).toEqual([u]);
    expect((await scim("POST", "/Groups", group("Sales"))).status).toBe(409);
  });

  it("serves the discovery documents, including Microsoft's /serviceConfiguration alias", async () => {
    const token = await scimToken(testDb, deps);
    const scim = scimCaller(deps, token.secret);
    for (const path of ["/ServiceProviderConfig", "/serviceConfiguration"]) {
      const config = await scim("GET", path);
      expect(config.json).toMatchObject({ patch: { supported: true }, etag: { supported: true }, bulk: { supported: false } });
    }
    expect((await scim("GET", "/ResourceTypes")).json.Resources.map((r: { endpoint: string }) => r.endpoint)).toEqual(["/Users", "/Groups"]);
    const schemas = await scim("GET", "/Schemas");
    expect(schemas.json.Resources.map((s: { name: string }) => s.name)).toEqual(["User", "EnterpriseUser", "Group"]);
    expect((await scim("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")).json.attributes[0].name).toBe("displayName");
    expect((await scim("GET", "/Bulk")).status).toBe(501);
    expect((await scim("GET", "/Nope")).status).toBe(404);
    expect((await scim("DELETE", "/Users")).status).toBe(405);
  });
});
