import type { ErrorCollector } from "./errors";
import { type ImportRow, rowSchema } from "./fields";
import { type ImportKind, KINDS } from "./kinds";
import type { RawRecord } from "./parse";

const schemas = new Map<ImportKind, ReturnType<typeof rowSchema>>();
const schemaOf = (kind: ImportKind) => {
  let schema = schemas.get(kind);
  if (!schema) schemas.set(kind, (schema = rowSchema(KINDS[kind].columns)));
  return schema;
};

/**
 * Checks one record against its kind's columns and cross-column rules. Every problem of the row
 * is reported (not just the first), each with the row and the column, then the row is dropped.
 */
export function validateRecord(kind: ImportKind, record: RawRecord, errors: ErrorCollector): ImportRow | null {
  const parsed = schemaOf(kind).safeParse(record.values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.add(record.row, String(issue.path[0] ?? "(row)"), issue.message);
    return null;
  }
  const problems = KINDS[kind].check?.(parsed.data) ?? [];
  for (const problem of problems) errors.add(record.row, problem.column, problem.message);
  return problems.length ? null : parsed.data;
}
