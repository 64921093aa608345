/**
 * Loads a generated organisation into an empty, migrated database: every table in foreign-key
 * order inside one transaction, so a failed or interrupted load leaves nothing behind.
 */
import postgres from "postgres";
import { copyRows, type CopyOptions } from "./copy";
import { generateOrganisation, type GenerateOptions, type TableName } from "./generate";

export class DatabaseNotEmptyError extends Error {
  constructor() {
    super("The identities table is not empty: refusing to load the generated organisation again. Load into a fresh database.");
    this.name = "DatabaseNotEmptyError";
  }
}

export interface LoadProgress {
  done: boolean;
  elapsedMs: number;
  rowsPerSecond: number;
}

export type LoadCounts = Record<TableName, number>;

/**
 * target is a connection URL (a single connection is opened and closed here) or a postgres.js
 * client. onProgress is called at most once a second per table while it loads, and once with
 * done = true when the table is complete.
 */
export async function loadOrganisation(
  target: string | postgres.Sql<{}>,
  options: GenerateOptions & { copy?: CopyOptions },
  onProgress?: (table: TableName, rows: number, progress: LoadProgress) => void,
): Promise<LoadCounts> {
  // Generate (and validate the scale) before touching the database.
  const organisation = generateOrganisation(options);
  const sql = typeof target === "string" ? postgres(target, { max: 1, onnotice: () => {}, connection: { application_name: "accord-generate" } }) : target;
  try {
    return await sql.begin(async (tx) => {
      // Two loaders started together: the second waits here, then sees the first one's rows.
      await tx`lock table identities in share row exclusive mode`;
      const [row] = await tx<{ exists: boolean }[]>`select exists (select 1 from identities) as exists`;
      if (row?.exists) throw new DatabaseNotEmptyError();
      const counts = {} as LoadCounts;
      for (const spec of organisation.tables) {
        const started = performance.now();
        let reported = started;
        const report = (rows: number, done: boolean) => {
          const now = performance.now();
          if (!done && now - reported < 1_000) return;
          reported = now;
          const elapsedMs = now - started;
          onProgress?.(spec.table, rows, { done, elapsedMs, rowsPerSecond: elapsedMs > 0 ? (rows * 1000) / elapsedMs : rows });
        };
        counts[spec.table] = await copyRows(tx, spec.table, spec.columns, spec.rows(), (rows) => report(rows, false), options.copy);
        report(counts[spec.table], true);
      }
      return counts;
    });
  } finally {
    if (typeof target === "string") await sql.end({ timeout: 5 });
  }
}
