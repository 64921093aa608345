import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvChunks, jsonChunks, type RowBatch } from "./writers";

async function text(chunks: AsyncIterable<Buffer>): Promise<string> {
  let out = "";
  for await (const chunk of chunks) out += chunk.toString();
  return out;
}

async function* batchesOf(...batches: string[][]): AsyncGenerator<RowBatch> {
  for (const batch of batches) yield batch.map((row) => Buffer.from(row));
}

describe("CSV writer", () => {
  it("is the header, then PostgreSQL's records as they came, counted per batch", async () => {
    const counted: number[] = [];
    const csv = await text(
      csvChunks(
        [
          { name: "a", type: "text" },
          { name: "b", type: "integer" },
        ],
        batchesOf(['"x,y",1\n', ",2\n"], [], ['"line\nbreak",\n']),
        (n) => counted.push(n),
      ),
    );
    expect(csv).toBe('a,b\n"x,y",1\n,2\n"line\nbreak",\n');
    expect(parse(csv, { columns: true })).toEqual([
      { a: "x,y", b: "1" },
      { a: "", b: "2" },
      { a: "line\nbreak", b: "" },
    ]);
    expect(counted).toEqual([2, 1]);
  });
});

describe("JSON writer", () => {
  it("is one JSON array with one element per line", async () => {
    for (const n of [0, 1, 3]) {
      const batches = Array.from({ length: n }, (_, i) => [`{"n" : ${i}, "doc" : {"a": [1, 2]}}`, `{"n" : ${i + 100}, "s" : "x\\ny"}`]);
      let rows = 0;
      const json = await text(jsonChunks(batchesOf(...batches), (count) => (rows += count)));
      const parsed = JSON.parse(json) as unknown[];
      expect(parsed).toHaveLength(2 * n);
      expect(rows).toBe(2 * n);
      expect(json.split("\n")).toHaveLength(2 * n + 3);
    }
  });
});
