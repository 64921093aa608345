import { z } from "zod";

/**
 * One column of an import file. The same definition drives the zod row schema, the staging
 * table, the downloadable template and docs/import.md, so they cannot drift apart.
 */
export interface ColumnSpec {
  name: string;
  type: "text" | "enum" | "boolean" | "integer" | "datetime" | "list";
  required?: boolean;
  values?: readonly string[];
  /** The value a blank cell stands for (as text, e.g. "active", "false", "24"). */
  fallback?: string;
  /** What a blank cell means, in words, when that is not simply the fallback (for the docs). */
  blank?: string;
  max?: number;
  min?: number;
  description: string;
  example: string;
}

export type CellValue = string | number | boolean | Date | null;
export type ImportRow = Record<string, CellValue>;

/** The staging table's SQL type for a column; enums stay text and are cast when written. */
export function sqlTypeOf(column: ColumnSpec): string {
  switch (column.type) {
    case "boolean":
      return "boolean";
    case "integer":
      return "integer";
    case "datetime":
      return "timestamptz";
    default:
      return "text";
  }
}

const TRUE = new Set(["true", "yes", "y", "1"]);
const FALSE = new Set(["false", "no", "n", "0"]);
// Date only, or date and time with an optional offset (no offset = UTC).
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A blank cell (after trimming) is "no value": null, never the empty string. */
function blankToNull(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function parseDateTime(text: string): Date | null {
  if (!ISO.test(text)) return null;
  const normalised = text.replace(" ", "T");
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(normalised.slice(10)) || normalised.length === 10 ? normalised : `${normalised}Z`;
  const date = new Date(withZone.length === 10 ? `${withZone}T00:00:00Z` : withZone);
  return Number.isNaN(date.getTime()) ? null : date;
}

function valueSchema(column: ColumnSpec): z.ZodType<CellValue, string> {
  const max = column.max ?? 500;
  switch (column.type) {
    case "enum": {
      const values = column.values ?? [];
      return z.string().transform((text, ctx) => {
        const lower = text.toLowerCase().replace(/[\s-]+/g, "_");
        if (values.includes(lower)) return lower;
        ctx.addIssue({ code: "custom", message: `"${text}" is not one of: ${values.join(", ")}` });
        return z.NEVER;
      });
    }
    case "boolean":
      return z.string().transform((text, ctx) => {
        const lower = text.toLowerCase();
        if (TRUE.has(lower)) return true;
        if (FALSE.has(lower)) return false;
        ctx.addIssue({ code: "custom", message: `"${text}" is not true or false (also accepted: yes/no, 1/0)` });
        return z.NEVER;
      });
    case "integer":
      return z.string().transform((text, ctx) => {
        const n = /^[+]?\d+$/.test(text) ? Number(text) : Number.NaN;
        const min = column.min ?? 0;
        if (Number.isSafeInteger(n) && n >= min && n <= 2_147_483_647) return n;
        ctx.addIssue({ code: "custom", message: `"${text}" is not a whole number of at least ${min}` });
        return z.NEVER;
      });
    case "datetime":
      return z.string().transform((text, ctx) => {
        const date = parseDateTime(text);
        if (date) return date;
        ctx.addIssue({ code: "custom", message: `"${text}" is not a date in ISO 8601 form, e.g. 2025-03-31 or 2025-03-31T09:00:00Z` });
        return z.NEVER;
      });
    case "list":
      // Semicolon-separated, so the list fits in one CSV cell without quoting.
      return z
        .string()
        .max(max * 20, `is longer than ${max * 20} characters`)
        .transform((text) => {
          const items = [
            ...new Set(
              text
                .split(";")
                .map((s) => s.trim())
                .filter(Boolean),
            ),
          ];
          return items.length ? items.join(";") : null;
        });
    default:
      return z.string().max(max, `is longer than ${max} characters`);
  }
}

/** zod schema for one column: trims, treats blank as null, enforces "required", then the type. */
export function columnSchema(column: ColumnSpec): z.ZodType<CellValue> {
  const inner = valueSchema(column);
  return z.preprocess(
    blankToNull,
    z
      .union([z.string(), z.null()], { error: "must be text, a number or true/false" })
      .refine((v) => v === null || !v.includes("\0"), "contains a NUL character")
      .refine((v) => !column.required || v !== null, "is required")
      // Blank means the column's default, so creates and updates agree on what blank does.
      .transform((v) => v ?? column.fallback ?? null)
      .pipe(inner.nullable()),
  ) as z.ZodType<CellValue>;
}

/** The row schema: every known column, absent or blank ones become null. */
export function rowSchema(columns: readonly ColumnSpec[]) {
  return z.object(Object.fromEntries(columns.map((c) => [c.name, columnSchema(c)]))) as unknown as z.ZodType<ImportRow>;
}
