/**
 * The benchmark's data sets: the foundation's generator at three scales, loaded once per server
 * and reused, keyed by scale and generator version (bump GENERATOR_VERSION when the generated
 * organisation changes and old sets become incomparable).
 */
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";
import { connect } from "@/db/client";
import { DEFAULT_SEED, type Scale } from "@/lib/demo/generate";
import { loadOrganisation } from "@/lib/demo/load";
import type { Deps } from "@/lib/domain/deps";
import { refreshPrivilegeRollup } from "@/lib/domain/metrics/rollup";
import { JobQueue } from "@/lib/jobs/queue";
import { createDatabase, withDatabase } from "@/lib/testing/server";

export const GENERATOR_VERSION = 1;

export const SCALES = {
  /** A smoke test of the harness: seconds to generate. */
  small: { identities: 1_500, applications: 100, grants: 30_000, usageEvents: 150_000, sessions: 15_000 },
  medium: { identities: 20_000, applications: 400, grants: 400_000, usageEvents: 2_000_000, sessions: 200_000 },
  /** Issue 9's enterprise: 100,000 identities (a third non-human), 2,000 applications, 2M grants, 10M events. */
  large: "large",
} as const satisfies Record<string, Scale>;

export type ScaleName = keyof typeof SCALES;

export const isScaleName = (value: string): value is ScaleName => value in SCALES;

export const datasetName = (scale: ScaleName) => `accord_bench_${scale}_g${GENERATOR_VERSION}`;

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    return rows.length > 0;
  } finally {
    await admin.end();
  }
}

/**
 * The data set's URL on the server at adminUrl, generating it first when it is missing. It is
 * generated under a temporary name and renamed when complete, so an interrupted generation is
 * never mistaken for a finished one. Generation includes what a running deployment would have
 * built by then: planner statistics, the visibility map (index-only scans) and the metric rollup.
 */
export async function ensureDataset(adminUrl: string, scale: ScaleName, log: (line: string) => void): Promise<string> {
  const name = datasetName(scale);
  if (await databaseExists(adminUrl, name)) {
    log(`Reusing data set ${name}.`);
    const url = withDatabase(adminUrl, name);
    const before = await appliedMigrations(url);
    await migrateDatabase(url);
    if ((await appliedMigrations(url)) !== before) {
      // New indexes need statistics, and a changed rollup must be rebuilt, as a deployment's
      // nightly full refresh would after an upgrade.
      log("  migrations applied since it was made: vacuum, analyze, full metric rollup…");
      await prepare(url);
    }
    return url;
  }
  const partial = `${name}_partial`;
  log(`Generating data set ${name} (scale ${scale}, generator v${GENERATOR_VERSION})…`);
  const url = await createDatabase(adminUrl, partial);
  await migrateDatabase(url);
  const started = performance.now();
  let lastLine = 0;
  await loadOrganisation(url, { seed: DEFAULT_SEED, now: new Date(Math.floor(Date.now() / 60_000) * 60_000), scale: SCALES[scale] }, (table, rows, progress) => {
    if (progress.done || progress.elapsedMs - lastLine >= 5_000) {
      lastLine = progress.done ? 0 : progress.elapsedMs;
      log(`  ${table.padEnd(20)} ${rows.toLocaleString("en").padStart(12)} rows  ${Math.round(progress.rowsPerSecond).toLocaleString("en").padStart(9)} rows/s${progress.done ? "  done" : ""}`);
    }
  });
  log(`  loaded in ${((performance.now() - started) / 1000).toFixed(0)} s; vacuum, analyze, metric rollup…`);
  await prepare(url);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`alter database "${partial}" rename to "${name}"`);
  } finally {
    await admin.end();
  }
  log(`Data set ${name} ready in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return withDatabase(adminUrl, name);
}

async function appliedMigrations(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: number }[]>`select count(*)::int n from drizzle.__drizzle_migrations`;
    return row?.n ?? 0;
  } finally {
    await sql.end();
  }
}

async function prepare(url: string) {
  const direct = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await direct.unsafe("vacuum (analyze)");
  } finally {
    await direct.end();
  }
  const { db, close } = connect(url, { max: 4 });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(url) };
  try {
    await refreshPrivilegeRollup(deps, { full: true });
  } finally {
    await deps.jobs.stop().catch(() => {});
    await close();
  }
}
