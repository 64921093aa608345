import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ErrorCollector } from "./errors";
import { type ImportKind, KINDS } from "./kinds";
import { templateCsv } from "./template";
import { validateRecord } from "./validate";
import { readRecords } from "./parse";

function validate(kind: ImportKind, values: Record<string, string>, row = 2) {
  const errors = new ErrorCollector(100);
  const result = validateRecord(kind, { row, values }, errors);
  return { result, errors: errors.kept };
}

describe("row validation", () => {
  it("names the row and column of every problem in a row, with the value and what is allowed", () => {
    const { result, errors } = validate("identities", { external_id: " ", type: "robot", display_name: "Ana", status: "gone" }, 7);
    expect(result).toBeNull();
    expect(errors).toEqual([
      { row: 7, column: "external_id", message: "is required" },
      { row: 7, column: "type", message: '"robot" is not one of: employee, contractor, third_party, service_account, api_key, token, workload, ai_agent' },
      { row: 7, column: "status", message: '"gone" is not one of: active, suspended, leaver' },
    ]);
  });

  it("trims, treats blank as the column's default, and parses booleans, numbers and dates", () => {
    const { result } = validate("entitlements", { application: " Payroll ", name: "admin", privileged: "Yes", break_glass: "", max_duration_minutes: "480", kind: "" });
    expect(result).toMatchObject({ application: "Payroll", privileged: true, break_glass: false, max_duration_minutes: 480, kind: "role", description: null });
    const grant = validate("grants", { identity_external_id: "E1", application: "A", entitlement: "e", kind: "Time-Bound", expires_at: "2030-01-31", granted_at: "2025-01-01 09:30" });
    expect(grant.result).toMatchObject({ kind: "time_bound", identity_source: "import", expires_at: new Date("2030-01-31T00:00:00Z"), granted_at: new Date("2025-01-01T09:30:00Z") });
  });

  it("explains bad booleans, numbers and dates", () => {
    const { errors } = validate("entitlements", { application: "A", name: "n", privileged: "maybe", max_duration_minutes: "1.5" });
    expect(errors.map((e) => [e.column, e.message])).toEqual([
      ["privileged", '"maybe" is not true or false (also accepted: yes/no, 1/0)'],
      ["max_duration_minutes", '"1.5" is not a whole number of at least 1'],
    ]);
    const date = validate("grants", { identity_external_id: "E1", application: "A", entitlement: "e", granted_at: "31/01/2025" });
    expect(date.errors[0]).toMatchObject({ column: "granted_at", message: expect.stringContaining("ISO 8601") });
  });

  it("applies rules that span columns: managers are for people, owners for non-human identities, expiry for time-bound grants", () => {
    expect(validate("identities", { external_id: "K", type: "api_key", display_name: "k", manager_external_id: "E1" }).errors).toEqual([
      { row: 2, column: "manager_external_id", message: "non-human identities have an owner (owner_external_id), not a manager" },
    ]);
    expect(validate("identities", { external_id: "E1", type: "employee", display_name: "a", manager_external_id: "E1" }).errors[0]!.message).toBe("an identity cannot reference itself");
    expect(validate("grants", { identity_external_id: "E1", application: "A", entitlement: "e", kind: "time_bound" }).errors).toEqual([
      { row: 2, column: "expires_at", message: "is required for a time_bound grant" },
    ]);
    expect(validate("grants", { identity_external_id: "E1", application: "A", entitlement: "e", expires_at: "2030-01-01" }).errors[0]!.message).toContain("standing grants do not expire");
  });

  it("refuses values too long and NUL characters", () => {
    expect(validate("identities", { external_id: "E1", type: "employee", display_name: "x".repeat(201) }).errors[0]).toMatchObject({
      column: "display_name",
      message: "is longer than 200 characters",
    });
    expect(validate("identities", { external_id: "E\0", type: "employee", display_name: "x" }).errors[0]).toMatchObject({ column: "external_id", message: "contains a NUL character" });
  });
});

describe("templates", () => {
  it.each(Object.keys(KINDS) as ImportKind[])("the %s template has every column and its example row is valid", async (kind) => {
    const csv = templateCsv(kind);
    expect(csv.split("\r\n")[0]).toBe(KINDS[kind].columns.map((c) => c.name).join(","));
    const errors = new ErrorCollector(100);
    const rows = [];
    for await (const record of readRecords(Buffer.from(csv), "csv", kind, errors, { present: new Set() })) rows.push(validateRecord(kind, record, errors));
    expect(errors.kept).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).not.toBeNull();
  });
});

describe("docs/import.md", () => {
  it("documents every column of every kind", () => {
    const docs = readFileSync(path.resolve(import.meta.dirname, "../../../docs/import.md"), "utf8");
    for (const [kind, definition] of Object.entries(KINDS)) {
      const section = docs.slice(docs.indexOf(`### ${kind}`));
      for (const column of definition.columns) expect(section, `${kind}.${column.name}`).toContain(`| \`${column.name}\` |`);
    }
  });
});
