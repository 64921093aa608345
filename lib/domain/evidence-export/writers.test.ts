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
  it("is one JSON array with one element per line", async () => {
    async function* batches(n: number) {
      for (let i = 0; i < n; i++) yield [[`{"n" : ${i}, "doc" : {"a": [1, 2]}}`], [`{"n" : ${i + 100}, "s" : "x\\ny"}`]];
    }
    for (const n of [0, 1, 3]) {
      let text = "";
      for await (const chunk of jsonChunks(batches(n), () => {})) text += chunk.toString();
      const parsed = JSON.parse(text) as unknown[];
      expect(parsed).toHaveLength(2 * n);
      expect(text.split("\n")).toHaveLength(2 * n + 3);
    }
  });
});
