import { describe, expect, it } from "vitest";
import { ndjsonLines } from "./ndjson";

async function* chunks(...parts: (string | Uint8Array)[]) {
  for (const p of parts) yield typeof p === "string" ? new TextEncoder().encode(p) : p;
}

async function collect(source: AsyncIterable<Uint8Array>, maxLineLength = 100) {
  const out = [];
  for await (const l of ndjsonLines(source, { maxLineLength })) out.push(l);
  return out;
}

describe("ndjsonLines", () => {
  it("numbers lines across chunk boundaries, skips blanks, handles CRLF and a last line without newline", async () => {
    expect(await collect(chunks('{"a":', '1}\r\n\n{"b":2}\n', '{"c"', ":3}"))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it("decodes multi-byte characters split between chunks", async () => {
    const bytes = new TextEncoder().encode('{"n":"Zoë"}\n');
    expect(await collect(chunks(bytes.slice(0, 9), bytes.slice(9)))).toEqual([{ line: 1, text: '{"n":"Zoë"}' }]);
  });

  it("reports an over-long line once, without keeping it, and carries on", async () => {
    const long = "x".repeat(150);
    expect(await collect(chunks("{}\n", long.slice(0, 120), long.slice(120), "\n{}\n", long))).toEqual([
      { line: 1, text: "{}" },
      { line: 2, text: "", tooLong: true },
      { line: 3, text: "{}" },
      { line: 4, text: "", tooLong: true },
    ]);
  });
});
