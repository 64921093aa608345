import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { STAGE } from "./stage";

/**
 * Set-based building blocks shared by every kind. Fragments are written by this module's
 * callers from column definitions (never from the file), so sql.raw is safe here; values from
 * the file only ever travel through the staging table.
 */

export interface ImportContext {
  /** Columns the file has; only their values are written to existing rows. */
  present: ReadonlySet<string>;
  now: Date;
  snapshotApplicationId: string | null;
  /** The admin running the import, if a person: nobody suspends themselves, by import either. */
  actorIdentityId: string | null;
}

export interface EntityCount {
  entity: string;
  create: number;
  update: number;
  unchanged: number;
}

/** A timestamp parameter; postgres.js cannot bind a Date that drizzle's raw sql passes through untyped. */
export const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

export const run = (tx: Tx, text: string | SQL) => tx.execute(typeof text === "string" ? sql.raw(text) : text);

/** A literal for a message or column name written by this code (quotes doubled all the same). */
export const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Adds an error for every staged row matching `where`; `message` is a SQL text expression over `s`. */
export async function rowErrors(tx: Tx, column: string, message: string, where: string): Promise<void> {
  await run(tx, `insert into import_errors (row_no, col, message) select s.row_no, ${lit(column)}, ${message} from ${STAGE} s where ${where}`);
}

/**
 * The same key twice in one file is ambiguous (which row wins?), so every repeat is an error;
 * repeats are then dropped so later checks see each key once.
 */
export async function rejectDuplicates(tx: Tx, args: { key: string; column: string; what: string; drop?: boolean; where?: string }): Promise<void> {
  const where = args.where ?? "true";
  await run(
    tx,
    `with d as (select row_no, first_value(row_no) over (partition by ${args.key} order by row_no) as first_row, ${args.what} as what from ${STAGE} where ${where})
     insert into import_errors (row_no, col, message)
     select row_no, ${lit(args.column)}, format('%s appears more than once in the file (first on row %s)', what, first_row) from d where row_no <> first_row`,
  );
  if (args.drop === false) return;
  await run(
    tx,
    `delete from ${STAGE} where row_no in (select row_no from (select row_no, row_number() over (partition by ${args.key} order by row_no) as n from ${STAGE} where ${where}) d where n > 1)`,
  );
}

export interface Assignment {
  /** The file column that carries this value; when the file leaves it out, the value is left alone. */
  column: string;
  /** Column of the target table. */
  target: string;
  /** The new value, over the staged row `s` (and, for existing rows, the current row `t`). */
  value: string;
  /** The value for new rows when it differs (no `t` there). */
  insertValue?: string;
}

const writable = (assignments: readonly Assignment[], present: ReadonlySet<string>) => assignments.filter((a) => present.has(a.column));

/** Marks existing rows whose written columns would change; the preview diff is this flag. */
export async function markChanged(tx: Tx, args: { table: string; assignments: readonly Assignment[]; present: ReadonlySet<string>; where?: string }): Promise<void> {
  const list = writable(args.assignments, args.present);
  if (list.length === 0) return;
  await run(
    tx,
    // Only changed rows are rewritten: a re-import of an unchanged file touches nothing.
    `update ${STAGE} s set changed = true from ${args.table} t
     where t.id = s.target_id and not s.is_new${args.where ? ` and ${args.where}` : ""}
       and row(${list.map((a) => a.value).join(", ")}) is distinct from row(${list.map((a) => `t.${a.target}`).join(", ")})`,
  );
}

/** Inserts the new rows: fixed columns (keys, foreign ids) plus every assignment, present or not. */
export async function insertNew(tx: Tx, args: { table: string; fixed: readonly [string, string][]; assignments: readonly Assignment[] }): Promise<void> {
  const columns = [...args.fixed.map(([c]) => c), ...args.assignments.map((a) => a.target)];
  const values = [...args.fixed.map(([, v]) => v), ...args.assignments.map((a) => a.insertValue ?? a.value)];
  await run(tx, `insert into ${args.table} (${columns.join(", ")}) select ${values.join(", ")} from ${STAGE} s where s.is_new order by s.row_no`);
}

export async function updateChanged(tx: Tx, args: { table: string; assignments: readonly Assignment[]; present: ReadonlySet<string>; now: Date; touch?: boolean }): Promise<void> {
  const list = writable(args.assignments, args.present);
  if (list.length === 0) return;
  const sets = list.map((a) => `${a.target} = ${a.value}`);
  await run(
    tx,
    sql`update ${sql.raw(args.table)} t set ${sql.raw(sets.join(", "))}${args.touch === false ? sql`` : sql`, updated_at = ${at(args.now)}`}
        from ${sql.raw(STAGE)} s where t.id = s.target_id and s.changed`,
  );
}

export async function countChanges(tx: Tx, entity: string): Promise<EntityCount> {
  const [row] = await tx.execute<{ create: number; update: number; unchanged: number }>(
    sql.raw(`select count(*) filter (where is_new)::int as "create", count(*) filter (where changed)::int as "update",
             count(*) filter (where not is_new and not changed)::int as unchanged from ${STAGE}`),
  );
  return { entity, create: row?.create ?? 0, update: row?.update ?? 0, unchanged: row?.unchanged ?? 0 };
}

/** Finds an application by the name in a row's `application` column. */
export async function resolveApplication(tx: Tx): Promise<void> {
  await run(tx, `update ${STAGE} s set application_id = a.id from applications a where a.name = s.application`);
  await rowErrors(tx, "application", `format('no application named "%s" in Accord; import it first (applications file)', s.application)`, "s.application_id is null");
}

/**
 * Finds the identity a row refers to by (identity_source, external_id) in the database. For
 * `human`, the referenced identity must be a person (owners and managers are accountable people).
 */
export async function resolveIdentityReference(tx: Tx, args: { column: string; idColumn: string; human?: boolean; role?: string }): Promise<void> {
  const { column, idColumn } = args;
  await run(tx, `update ${STAGE} s set ${idColumn} = i.id from identities i where i.source = s.identity_source and i.external_id = s.${column}${args.human ? " and i.kind = 'human'" : ""}`);
  const noun = args.human ? "person" : "identity";
  const why = args.human ? ` (the ${args.role ?? "owner"} must be a human identity)` : "";
  await rowErrors(
    tx,
    column,
    `format('no %s with external_id "%s" from source "%s" in Accord%s', ${lit(noun)}, s.${column}, s.identity_source, ${lit(why)})`,
    `s.${column} is not null and s.${idColumn} is null`,
  );
}
