import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { escapeCopyText } from "@/lib/demo/copy";
import { testDb } from "@/lib/testing/test-db";
import { copyTextValue, exportRows, type RawQuery, type RowShape } from "./evidence-export";

/** Everything exportRows hands on, joined, with the number of rows it counted. */
async function collect(query: RawQuery, shape: RowShape, batchBytes?: number) {
  return testDb.transaction(
    async (tx) => {
      const rows: Buffer[] = [];
      let batches = 0;
      for await (const batch of exportRows(tx, query, shape, batchBytes)) {
        rows.push(...batch);
        batches++;
      }
      return { rows, batches };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

// Text as people and systems write it: quotes, separators, line breaks, control characters, backslashes, any script.
const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom("", ",", '"', "\n", "\r", "\r\n", " \t ", "a,b", 'say "hi"', "=SUM(A1)", "C:\\temp\\new", "\\N", "\\.", "\u0001\u007f\b\f\v", "naïve – ✓"),
);
const field = fc.option(text, { nil: null });

describe("export rows through COPY", () => {
  it("writes CSV records exactly as csv-stringify does (an empty string like no value), one per row", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 }), async (values) => {
        const params = values.flat();
        const tuples = values.map((_, r) => `(${r}, ${[0, 1, 2].map((c) => `$${r * 3 + c + 1}::text`).join(", ")})`).join(", ");
        const query = { text: `select nullif(a, ''), nullif(b, ''), nullif(c, '') from (values ${tuples}) v(n, a, b, c) order by n`, params };
        const { rows } = await collect(query, "csv");
        expect(rows).toHaveLength(values.length);
        expect(Buffer.concat(rows).toString("utf8")).toBe(stringify(values));
      }),
      { numRuns: 150 },
    );
  });

  it("hands JSON documents back byte for byte as PostgreSQL built them, escapes undone", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 8 }), async (values) => {
        const tuples = values.map((_, r) => `(${r}, $${r + 1}::text)`).join(", ");
        const query = { text: `select json_build_object('n', n, 'v', v)::text from (values ${tuples}) t(n, v) order by n`, params: values };
        const { rows } = await collect(query, "json");
        expect(rows.map((r) => (JSON.parse(r.toString("utf8")) as { v: string }).v)).toEqual(values);
      }),
      { numRuns: 150 },
    );
  });

  it("undoes every escape COPY's text format writes", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0") && s.isWellFormed()),
        (value) => {
          expect(copyTextValue(Buffer.from(`${escapeCopyText(value)}\n`)).toString("utf8")).toBe(value);
        },
      ),
    );
    expect(copyTextValue(Buffer.from("\\b\\f\\v\\t\\n\\r\\\\x\n")).toString()).toBe("\b\f\v\t\n\r\\x");
  });

  it("inlines the query's values, which COPY cannot take as parameters", async () => {
    const query = { text: "select $1::text, $2::int, $3::text", params: ["it's a \\ backslash", 42, "x'); drop table t; --"] };
    const { rows } = await collect(query, "csv");
    expect(rows.map(String)).toEqual(["it's a \\ backslash,42,x'); drop table t; --\n"]);
  });

  it("counts every row across batches, and a download that stops early leaves the connection usable", async () => {
    const query = { text: "select n, repeat('x', 100) from generate_series(1, $1::int) n order by n", params: [20_000] };
    const whole = await collect(query, "csv", 16 * 1024);
    expect(whole.rows).toHaveLength(20_000);
    expect(whole.batches).toBeGreaterThan(100);

    // Stop after the first batch, as when the browser closes the download: the rest of the COPY is
    // read and dropped, the transaction rolls back, and the same connections serve what comes next.
    const stopped = testDb.transaction(async (tx) => {
      for await (const batch of exportRows(tx, { ...query, params: [200_000] }, "csv", 16 * 1024)) {
        expect(batch.length).toBeGreaterThan(0);
        throw new Error("download went away");
      }
    });
    await expect(stopped).rejects.toThrow("download went away");
    const after = await Promise.all(Array.from({ length: 8 }, (_, i) => testDb.execute<{ n: number }>(sql`select ${i}::int as n`)));
    expect(after.map(([row]) => row!.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("fails with the server's error when the query fails part-way", async () => {
    const query = { text: "select case when n < 5000 then n else 1 / (n - n) end from generate_series(1, 10000) n", params: [] };
    await expect(collect(query, "csv")).rejects.toThrow(/division by zero/);
    const [row] = await testDb.execute<{ ok: number }>(sql`select 1 as ok`);
    expect(row!.ok).toBe(1);
  });

  it("fails with the server's error when it comes in the same read as the start of the COPY", async () => {
    // CopyOutResponse, ErrorResponse and ReadyForQuery in one packet: postgres.js hands the stream
    // over and destroys it in one tick, before the generator has resumed.
    for (const rows of [1, 3, 50]) {
      const query = { text: "select case when n < $1::int then n else 1 / (n - n) end from generate_series(1, 100) n", params: [rows] };
      await expect(collect(query, "json")).rejects.toThrow(/division by zero/);
    }
    const [row] = await testDb.execute<{ ok: number }>(sql`select 1 as ok`);
    expect(row!.ok).toBe(1);
  });
});
