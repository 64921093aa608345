import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { normalizeResource } from "./normalize";
import { applyPatch, parsePatchRequest, planGroupPatch } from "./patch";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const body = (...Operations: unknown[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });
const patch = (resource: Record<string, unknown>, ...ops: unknown[]) => applyPatch("User", normalizeResource("User", resource).resource, parsePatchRequest(body(...ops)));

function scimType(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return `${error.status} ${error.scimType ?? ""}`.trim();
    throw error;
  }
  throw new Error("expected a ScimError");
}

const ada = { userName: "ada", emails: [{ value: "ada@work.example", type: "work", primary: true }], name: { givenName: "Ada", familyName: "Lovelace" } };

describe("SCIM PATCH on Users", () => {
  it("replaces, adds and removes by path, with attribute names and op case-insensitive", () => {
    expect(patch(ada, { op: "Replace", path: "USERNAME", value: "ada2" }).userName).toBe("ada2");
    expect(patch(ada, { op: "add", path: "name.MiddleName", value: "King" }).name).toEqual({ givenName: "Ada", familyName: "Lovelace", middleName: "King" });
    expect(patch(ada, { op: "remove", path: "name.givenName" }).name).toEqual({ familyName: "Lovelace" });
    expect(patch(ada, { op: "remove", path: "emails" }).emails).toBeUndefined();
  });

  it("reads Entra ID's string booleans and bare manager ids", () => {
    expect(patch(ada, { op: "Replace", path: "active", value: "False" }).active).toBe(false);
    const withManager = patch(ada, { op: "Add", path: `${ENTERPRISE}:manager`, value: "6f9619ff-8b86-d011-b42d-00c04fc964ff" });
    expect(withManager[ENTERPRISE]).toEqual({ manager: { value: "6f9619ff-8b86-d011-b42d-00c04fc964ff" } });
  });

  it("applies value-path filters to multi-valued attributes, adding a value when an eq filter matches none", () => {
    expect(patch(ada, { op: "replace", path: 'emails[type eq "work"].value', value: "new@work.example" }).emails).toEqual([{ value: "new@work.example", type: "work", primary: true }]);
    expect(patch(ada, { op: "add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555" }).phoneNumbers).toEqual([{ value: "+1 555", type: "mobile" }]);
    expect(patch(ada, { op: "remove", path: 'emails[value eq "ada@work.example"]' }).emails).toBeUndefined();
    expect(scimType(() => patch(ada, { op: "replace", path: 'emails[type eq "home"]', value: { value: "x" } }))).toBe("400 noTarget");
  });

  it("spreads a path-less value over its attributes, including the enterprise extension, ignoring id and meta", () => {
    const result = patch(ada, { op: "replace", value: { id: "ignored", displayName: "Countess", "name.givenName": "Augusta", [ENTERPRISE]: { Department: "Maths" } } });
    expect(result).toMatchObject({ displayName: "Countess", name: { givenName: "Augusta" }, [ENTERPRISE]: { department: "Maths" } });
    expect(result.id).toBeUndefined();
  });

  it("refuses unknown paths, read-only attributes, bad ops and bodies", () => {
    expect(scimType(() => patch(ada, { op: "replace", path: "shoeSize", value: 42 }))).toBe("400 invalidPath");
    expect(scimType(() => patch(ada, { op: "replace", path: "__proto__.polluted", value: 1 }))).toBe("400 invalidPath");
    expect(scimType(() => patch(ada, { op: "replace", path: "meta.created", value: "2020-01-01" }))).toBe("400 mutability");
    expect(scimType(() => patch(ada, { op: "replace", path: "id", value: "x" }))).toBe("400 mutability");
    expect(scimType(() => patch(ada, { op: "move", path: "userName", value: "x" }))).toBe("400 invalidSyntax");
    expect(scimType(() => patch(ada, { op: "remove" }))).toBe("400 noTarget");
    expect(scimType(() => patch(ada, { op: "replace", path: "active", value: "maybe" }))).toBe("400 invalidValue");
    expect(scimType(() => patch(ada, { op: "replace", path: 'emails[value eq "tel:1"].type', value: "x" }))).toBe("400 invalidPath");
    expect(scimType(() => parsePatchRequest({ schemas: ["urn:wrong"], Operations: [] }))).toBe("400 invalidSyntax");
    expect(scimType(() => parsePatchRequest(body()))).toBe("400 invalidSyntax");
    expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
  });

  it("never keeps a password", () => {
    expect(patch(ada, { op: "replace", path: "password", value: "hunter2" }).password).toBeUndefined();
  });
});

describe("SCIM PATCH on Groups: membership steps apart from attributes", () => {
  const plan = (...ops: unknown[]) => planGroupPatch(parsePatchRequest(body(...ops)));

  it("turns member operations into SQL steps", () => {
    expect(plan({ op: "add", path: "members", value: [{ value: "u1" }, { Value: "u2" }, { value: "u1" }] })).toEqual([{ kind: "addMembers", ids: ["u1", "u2"] }]);
    expect(plan({ op: "remove", path: "Members" })).toEqual([{ kind: "removeAllMembers" }]);
    expect(plan({ op: "remove", path: "members", value: [{ value: "u1" }] })).toEqual([{ kind: "removeMembers", ids: ["u1"] }]);
    expect(plan({ op: "replace", path: "members", value: [] })).toEqual([{ kind: "replaceMembers", ids: [] }]);
    expect(plan({ op: "remove", path: 'members[VALUE eq "u1"]' })).toEqual([{ kind: "removeMembersWhere", filter: { op: "eq", attrPath: "value", compValue: "u1" } }]);
  });

  it("keeps attribute operations for the document, path-less ones included", () => {
    expect(plan({ op: "replace", value: { id: "g1", displayName: "Renamed", members: [{ value: "u3" }] } })).toEqual([
      { kind: "attributes", op: { op: "replace", path: "displayName", value: "Renamed" } },
      { kind: "replaceMembers", ids: ["u3"] },
    ]);
  });

  it("refuses members that are not objects with a value, and changes to member sub-attributes", () => {
    expect(scimType(() => plan({ op: "add", path: "members", value: "string id 1" }))).toBe("400 invalidValue");
    expect(scimType(() => plan({ op: "replace", path: "members.display", value: "x" }))).toBe("400 mutability");
    expect(scimType(() => plan({ op: "add", path: 'members[value eq "u1"]', value: {} }))).toBe("400 invalidPath");
  });
});
