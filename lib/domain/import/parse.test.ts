import { describe, expect, it } from "vitest";
import { ErrorCollector } from "./errors";
import { jsonElements } from "./json-stream";
import type { ImportFormat, ImportKind } from "./kinds";
import { readRecords } from "./parse";

async function read(text: string | Buffer, kind: ImportKind = "identities", format: ImportFormat = "csv") {
  const errors = new ErrorCollector(100);
  const state = { present: new Set<string>() };
  const records = [];
  for await (const record of readRecords(Buffer.isBuffer(text) ? text : Buffer.from(text), format, kind, errors, state)) records.push(record);
  return { records, errors: errors.sorted(), present: [...state.present] };
}

const HEADER = "external_id,type,display_name";

describe("CSV", () => {
  it("drops a UTF-8 BOM, normalises header names and numbers rows as a spreadsheet does", async () => {
    const { records, errors, present } = await read(`\uFEFFExternal ID,Type,display-name\r\nE1,employee,"Lima, Ana"\r\n\r\n,,\r\nE2,employee,"Multi\nline"\r\n`);
    expect(errors).toEqual([]);
    expect(present).toEqual(["external_id", "type", "display_name"]);
    // Row 3 is blank and row 4 empty cells; the quoted line break does not add a row.
    expect(records.map((r) => [r.row, r.values.display_name])).toEqual([
      [2, "Lima, Ana"],
      [5, "Multi\nline"],
    ]);
  });

  it("rejects unknown and missing columns in the header, listing the expected ones", async () => {
    const { records, errors } = await read("external_id,typ,display_name,display_name\nE1,employee,A,A\n");
    expect(records).toEqual([]);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [1, "display_name"],
      [1, "typ"],
      [1, "type"],
    ]);
    expect(errors.find((e) => e.column === "typ")!.message).toMatch(/Unknown column "typ" for identities\. Expected columns: external_id \(required\), source, type \(required\)/);
    expect(errors.find((e) => e.column === "type")!.message).toContain('required column "type" is missing');
  });

  it("reports a row with too few cells at the first missing column and keeps reading", async () => {
    const { records, errors } = await read(`${HEADER}\nE1,employee\nE2,employee,B\n`);
    expect(errors).toEqual([{ row: 2, column: "display_name", message: expect.stringContaining("2 cells but the header has 3 columns") }]);
    expect(records.map((r) => r.row)).toEqual([3]);
  });

  it("stops at a broken quote, naming the row", async () => {
    const { errors } = await read(`${HEADER}\nE1,employee,A\nE2,employee,"B\n`);
    expect(errors).toEqual([{ row: 3, column: expect.any(String), message: expect.stringContaining("Check the quotes") }]);
  });

  it("explains semicolon-separated files, UTF-16, Latin-1 and workbooks instead of importing garbage", async () => {
    expect((await read("external_id;type;display_name\nE1;employee;A\n")).errors[0]!.message).toContain('";" or tabs');
    expect((await read(Buffer.from(`\uFEFF${HEADER}\n`, "utf16le"))).errors[0]!.message).toContain("UTF-16");
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\nE1,employee,Jos`), Buffer.from([0xe9]), Buffer.from("\n")]);
    expect((await read(latin1)).errors).toEqual([{ row: 2, column: "(file)", message: expect.stringContaining("not valid UTF-8 (first bad byte on line 2)") }]);
    expect((await read(Buffer.from("PK\x03\x04rest", "latin1"))).errors[0]!.message).toContain("Excel workbook");
    expect((await read("")).errors[0]!.message).toBe("The file is empty.");
  });
});

describe("JSON", () => {
  it("reads an array of objects and JSON Lines alike, one object at a time", async () => {
    const array = await read('[{"external_id":"E1","type":"employee","display_name":"A {x}"},\n {"external_id":2,"type":"api_key","display_name":"k","description":null}]', "identities", "json");
    expect(array.errors).toEqual([]);
    expect(array.records.map((r) => [r.row, r.values.external_id, r.values.display_name])).toEqual([
      [1, "E1", "A {x}"],
      [2, "2", "k"],
    ]);
    const lines = await read('{"external_id":"E1","type":"employee","display_name":"A"}\n{"external_id":"E2","type":"employee","display_name":"B"}\n', "identities", "json");
    expect(lines.records.map((r) => r.row)).toEqual([1, 2]);
  });

  it("rejects unknown keys and nested values by row and key, and unreadable JSON", async () => {
    const { records, errors } = await read('[{"external_id":"E1","type":"employee","display_name":"A","colour":"red"},{"external_id":"E2","type":{"a":1},"display_name":"B"}]', "identities", "json");
    expect(records).toEqual([]);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [1, "colour"],
      [2, "type"],
    ]);
    expect((await read('[{"external_id":"E1"', "identities", "json")).errors[0]!.message).toContain("ends in the middle of row 1");
    expect((await read('["E1"]', "identities", "json")).errors[0]!.message).toContain("Expected an object");
  });

  it("accepts owner lists as arrays", async () => {
    const { records } = await read('[{"external_id":"A","name":"App","owner_external_ids":["E1","E2"]}]', "applications", "json");
    expect(records[0]!.values.owner_external_ids).toBe("E1;E2");
  });

  it("splits objects across chunk boundaries and ignores braces inside strings", () => {
    const chunks = ['[{"a":"}', '\\"{"},', '{"b":[1,', "2]}]"];
    expect([...jsonElements(chunks)]).toEqual([
      { row: 1, text: '{"a":"}\\"{"}' },
      { row: 2, text: '{"b":[1,2]}' },
    ]);
  });
});
