/**
 * Splits a byte stream into NDJSON lines as it arrives, so a request or file of any size is
 * read with flat memory. Lines are numbered from 1; blank lines are counted but not yielded.
 * A line longer than maxLineLength characters is not kept in memory: it is yielded as `tooLong` once its
 * end is found, and the reader carries on with the next line.
 */
export interface NdjsonLine {
  line: number;
  text: string;
  tooLong?: boolean;
}

export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array>, options: { maxLineLength: number; onBytes?: (bytes: number) => void }): AsyncGenerator<NdjsonLine> {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let line = 0;
  let skipping = false;
  for await (const chunk of chunks) {
    options.onBytes?.(chunk.byteLength);
    const text = decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let nl = text.indexOf("\n", from); nl !== -1; nl = text.indexOf("\n", from)) {
      line++;
      const part = text.slice(from, nl);
      from = nl + 1;
      if (skipping) {
        skipping = false;
        pending = "";
        yield { line, text: "", tooLong: true };
        continue;
      }
      const whole = pending ? pending + part : part;
      pending = "";
      const trimmed = whole.endsWith("\r") ? whole.slice(0, -1) : whole;
      if (trimmed.length > options.maxLineLength) yield { line, text: "", tooLong: true };
      else if (trimmed.trim() !== "") yield { line, text: trimmed };
    }
    if (!skipping) {
      pending += text.slice(from);
      // Characters are at most 4 bytes; past this the line is too long whatever its content.
      if (pending.length > options.maxLineLength) {
        skipping = true;
        pending = "";
      }
    }
  }
  const rest = pending + decoder.decode();
  if (skipping) yield { line: line + 1, text: "", tooLong: true };
  else if (rest.trim() !== "") yield { line: line + 1, text: rest.endsWith("\r") ? rest.slice(0, -1) : rest };
}
