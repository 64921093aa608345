import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_TABLE, ITEM_TABLES } from "@/db/queries/evidence-export-tables";
import { loadControlMapping, parseControlMapping } from "./control-mapping";

const readme = readFileSync(path.join(import.meta.dirname, "..", "..", "..", "README.md"), "utf8");

describe("export columns", () => {
  it.each([...ITEM_TABLES, AUDIT_TABLE].map((t) => [t.name, t.columns.map((c) => c.name)] as const))("%s: the README documents exactly the exported columns", (name, columns) => {
    const row = readme.split("\n").find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row, `README row for ${name}`).toBeDefined();
    expect(row!.split("|")[3]!.trim()).toBe(columns.map((c) => `\`${c}\``).join(", "));
  });

  it("keeps names unique and snake_case", () => {
    for (const table of [...ITEM_TABLES, AUDIT_TABLE]) {
      const names = table.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});

describe("control mapping", () => {
  it("the shipped file is valid and covers the frameworks the bundle promises", async () => {
    const { mapping } = await loadControlMapping();
    const controls = mapping.frameworks.flatMap((f) => f.controls.map((c) => c.id));
    expect(controls).toEqual(expect.arrayContaining(["UAR", "CC6.1", "CC6.2", "CC6.3", "A.5.15", "A.5.16", "A.5.17", "A.5.18", "A.8.2", "PR.AA-01", "PR.AA-05", "NHI1", "NHI7"]));
  });

  it("names the entry at fault when an admin's edit points at evidence that does not exist", () => {
    const bad = JSON.stringify({
      version: 1,
      evidence: { items: "items" },
      frameworks: [{ id: "x", name: "X", controls: [{ id: "C1", title: "t", coverage: "full", answeredBy: ["itmes"], how: "h" }] }],
    });
    expect(() => parseControlMapping(bad)).toThrow(/frameworks\.0\.controls\.0\.answeredBy\.0: x C1 names "itmes"/);
    expect(() => parseControlMapping("{")).toThrow(/not valid JSON/);
  });
});

describe("JSON rows", () => {
  it("fit json_build_object's 100 arguments", () => {
    for (const table of [...ITEM_TABLES, AUDIT_TABLE]) expect(table.columns.length).toBeLessThanOrEqual(50);
  });
});
