import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connect } from "./client";

const MIGRATION_LOCK = 4_202_611; // any constant shared by every Accord instance

/**
 * Applies the committed SQL in drizzle/. Several instances may start at once: a session
 * advisory lock on a single dedicated connection lets exactly one of them migrate at a time.
 */
export async function migrateDatabase(url: string, migrationsFolder = path.join(process.cwd(), "drizzle")): Promise<void> {
  const { db, close } = connect(url, { max: 1 });
  try {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    await migrate(db, { migrationsFolder });
    await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
  } finally {
    await close();
  }
}
