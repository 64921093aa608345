/**
 * What reaches the database from an event is made storable first: PostgreSQL refuses NUL in
 * text and jsonb and unpaired surrogates in jsonb, and one such line must not fail its batch.
 * Control characters (CR, LF, ANSI escapes) in the short text columns are written as visible
 * \xNN escapes so a log line cannot forge another line or recolour a terminal; the raw event
 * keeps them, escaped as JSON does.
 */
const CONTROL = /[\u0000-\u001f\u007f]/g;

export function storableText(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  const clean = value.toWellFormed().replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function deepClean(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "\ufffd").toWellFormed();
  if (Array.isArray(value)) return value.map(deepClean);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[deepClean(k) as string] = deepClean(v);
    return out;
  }
  return value;
}

/** The JSON text of the raw event, with NUL and lone surrogates replaced (only walked when present). */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX; both are refused by jsonb.
  return /\\u0000|\\ud[89a-f]/i.test(json) ? JSON.stringify(deepClean(value)) : json;
}
