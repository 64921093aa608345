import { FatalFileError, FILE_COLUMN } from "./errors";

export interface JsonElement {
  /** 1-based position of the object in the file. */
  row: number;
  text: string;
}

/**
 * Splits a JSON array of objects (`[{…},{…}]`), or objects one per line (JSON Lines), into
 * the text of each object without parsing the whole document: JSON.parse of a 50 MB array
 * would hold every row in memory at once. Only strings and nesting are tracked here; each
 * object's own syntax is checked by JSON.parse afterwards.
 */
export function* jsonElements(chunks: Iterable<string>): Generator<JsonElement> {
  let mode: "start" | "array" | "lines" | "done" = "start";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pending = "";
  let row = 0;
  for (const chunk of chunks) {
    let from = -1; // where the current object starts in this chunk, -1 when between objects
    if (depth > 0) from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (depth > 0) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === "\\") escaped = true;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
          depth--;
          if (depth === 0) {
            yield { row, text: pending + chunk.slice(from, i + 1) };
            pending = "";
            from = -1;
          }
        }
        continue;
      }
      if (c === " " || c === "\n" || c === "\r" || c === "\t") continue;
      if (mode === "start" && c === "[") {
        mode = "array";
        continue;
      }
      if (mode === "array" && c === ",") continue;
      if (mode === "array" && c === "]") {
        mode = "done";
        continue;
      }
      if (mode === "done") throw new FatalFileError(row, FILE_COLUMN, "There is text after the end of the JSON array.");
      if (c !== "{") {
        throw new FatalFileError(row + 1, FILE_COLUMN, `Expected an object ({ … }) for row ${row + 1} but found "${c}". The file must be a JSON array of objects, or one object per line.`);
      }
      if (mode === "start") mode = "lines";
      row++;
      depth = 1;
      from = i;
    }
    if (depth > 0) pending += chunk.slice(from);
  }
  if (depth > 0) throw new FatalFileError(row, FILE_COLUMN, `The file ends in the middle of row ${row}: a } or " is missing.`);
  if (mode === "array") throw new FatalFileError(row, FILE_COLUMN, "The JSON array is not closed with ].");
}
