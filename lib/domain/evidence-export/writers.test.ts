import fc from "fast-check";
import { stringify } from "csv-stringify/sync";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvBatch, jsonChunks, type RowBatch } from "./writers";

const field = fc.option(fc.oneof(fc.string(), fc.constantFrom("", ",", '"', "\n", "\r", " \t ", "\r\n", "a,b", 'say "hi"', "=SUM(A1)", "naïve – ✓")), { nil: null });

describe("CSV writer", () => {
  it("writes exactly what csv-stringify writes, for any values", () => {
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { maxLength: 20 }), (rows: RowBatch) => {
        expect(csvBatch(rows)).toBe(rows.length ? stringify(rows) : "");
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips through csv-parse", () => {
    const rows: RowBatch = [["a,b", 'q"uote', "line\nbreak"], [null, "", "plain"]];
    expect(parse(csvBatch(rows))).toEqual([["a,b", 'q"uote', "line\nbreak"], ["", "", "plain"]]);
  });
});

describe("JSON writer", () => {
  it("is one JSON array, one element per line, typed by column", async () => {
    async function* batches() {
      yield [["1", "true", '{"a": [1, 2]}', 'x"y']];
      yield [[null, "false", null, "z"]];
    }
    const columns = [
      { name: "n", type: "integer" as const },
      { name: "b", type: "boolean" as const },
      { name: "doc", type: "json" as const },
      { name: "s", type: "text" as const },
    ];
    let text = "";
    for await (const chunk of jsonChunks(columns, batches(), () => {})) text += chunk.toString();
    expect(JSON.parse(text)).toEqual([
      { n: 1, b: true, doc: { a: [1, 2] }, s: 'x"y' },
      { n: null, b: false, doc: null, s: "z" },
    ]);
    expect(text.split("\n")).toHaveLength(5);
  });
});
