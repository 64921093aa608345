import { describe, expect, it } from "vitest";
import { normalizeResource } from "./normalize";
import { parseProjection, project, returnsAttribute } from "./projection";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const resource = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  id: "u1",
  userName: "ada",
  name: { givenName: "Ada", familyName: "Lovelace" },
  emails: [
    { value: "ada@work.example", type: "work", primary: true },
    { value: "ada@home.example", type: "home" },
  ],
  [ENTERPRISE]: { department: "Maths", employeeNumber: "7" },
  meta: { resourceType: "User", version: 'W/"1"' },
};
const view = (attributes?: string | null, excluded?: string | null) => project(resource, parseProjection("User", attributes, excluded));

describe("SCIM attributes / excludedAttributes", () => {
  it("returns only the requested attributes, plus id and schemas, matching names case-insensitively", () => {
    expect(view("USERNAME,emails")).toEqual({ schemas: resource.schemas, id: "u1", userName: "ada", emails: resource.emails });
  });

  it("selects sub-attributes, merging several of one attribute", () => {
    expect(view("name.givenName,name.familyName,emails.value")).toEqual({
      schemas: resource.schemas,
      id: "u1",
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ value: "ada@work.example" }, { value: "ada@home.example" }],
    });
  });

  it("selects extension attributes by their URN", () => {
    expect(view(`${ENTERPRISE}:department`)).toEqual({ schemas: resource.schemas, id: "u1", [ENTERPRISE]: { department: "Maths" } });
  });

  it("accepts a value filter on a multi-valued attribute, keeping the matching values", () => {
    expect(view('emails[type eq "work"]').emails).toEqual([resource.emails[0]]);
    expect(view('emails[value eq "nobody"]').emails).toBeUndefined();
  });

  it("drops excluded attributes but never id or schemas, and ignores unknown names", () => {
    const out = view(null, `emails,name.givenName,id,schemas,shoeSize,${ENTERPRISE}:department`);
    expect(out).toEqual({ schemas: resource.schemas, id: "u1", userName: "ada", name: { familyName: "Lovelace" }, [ENTERPRISE]: { employeeNumber: "7" }, meta: resource.meta });
    expect(view("shoeSize")).toEqual({ schemas: resource.schemas, id: "u1" });
  });

  it("tells whether members are wanted, so a group list can skip loading them", () => {
    expect(returnsAttribute(parseProjection("Group", null, "members"), "members")).toBe(false);
    expect(returnsAttribute(parseProjection("Group", "displayName", null), "members")).toBe(false);
    expect(returnsAttribute(parseProjection("Group", null, null), "members")).toBe(true);
    expect(returnsAttribute(parseProjection("Group", "members.value", null), "members")).toBe(true);
  });
});

describe("reading a client's resource", () => {
  it("canonicalises attribute names, drops unknown, read-only and password attributes, and coerces 'True'", () => {
    const { resource: read } = normalizeResource("User", {
      UserName: "ada",
      Active: "True",
      adreses: [{ country: "x" }],
      id: "client-chosen",
      meta: { created: "2019-01-01" },
      password: "hunter2",
      emails: [{ Primary: true, Value: "ada@work.example", Type: "work" }],
      addresses: [{ country: null, locality: "London" }],
      [ENTERPRISE.toUpperCase()]: { Department: "Maths", Manager: { Value: "m1", displayName: "readonly" } },
      roles: [],
    });
    expect(read).toEqual({
      userName: "ada",
      active: true,
      emails: [{ value: "ada@work.example", type: "work", primary: true }],
      addresses: [{ locality: "London" }],
      [ENTERPRISE]: { department: "Maths", manager: { value: "m1" } },
    });
  });
});
