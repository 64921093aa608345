/**
 * Generates a deterministic organisation and loads it into DATABASE_URL (migrating first).
 *
 *   npx tsx scripts/generate-data.ts --scale demo|large [--seed N] [--now ISO-8601]
 *                                    [--identities N --applications N --grants N --events N --sessions N]
 *
 * Count flags override the chosen scale's counts (the large scale's when --scale is not given).
 * Progress goes to stderr, the summary to stdout.
 * The database must have no identities yet; re-running against a loaded database is refused.
 */
import { parseArgs } from "node:util";
import { migrateDatabase } from "@/db/migrate";
import { DEFAULT_SEED, resolveProfile, type Scale } from "@/lib/demo/generate";
import { DatabaseNotEmptyError, loadOrganisation } from "@/lib/demo/load";
import { databaseUrl } from "@/lib/env";

const { values } = parseArgs({
  options: {
    scale: { type: "string" },
    seed: { type: "string" },
    now: { type: "string" },
    identities: { type: "string" },
    applications: { type: "string" },
    grants: { type: "string" },
    events: { type: "string" },
    sessions: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

function fail(message: string): never {
  process.stderr.write(`generate-data: ${message}\n`);
  process.exit(2);
}

if (values.help) {
  process.stdout.write("Usage: npx tsx scripts/generate-data.ts --scale demo|large [--seed N] [--now ISO] [--identities N --applications N --grants N --events N --sessions N]\n");
  process.exit(0);
}

const integer = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/_/g, ""));
  if (!Number.isSafeInteger(value) || value < 0) fail(`--${name} must be a non-negative integer, got ${text}`);
  return value;
};

const overrides = {
  identities: integer("identities", values.identities),
  applications: integer("applications", values.applications),
  grants: integer("grants", values.grants),
  usageEvents: integer("events", values.events),
  sessions: integer("sessions", values.sessions),
};
const custom = Object.values(overrides).some((v) => v !== undefined);
// Count flags alone describe a scale test, so unspecified counts come from "large", not the demo.
const named = values.scale ?? (custom ? "large" : "demo");
if (named !== "demo" && named !== "large") fail(`--scale must be demo or large, got ${named}`);
const base = resolveProfile(named);
const scale: Scale = custom
  ? {
      identities: overrides.identities ?? base.identities,
      applications: overrides.applications ?? base.applications,
      grants: overrides.grants ?? base.grants,
      usageEvents: overrides.usageEvents ?? base.usageEvents,
      sessions: overrides.sessions ?? (overrides.usageEvents !== undefined ? Math.round(overrides.usageEvents / 10) : base.sessions),
    }
  : named;
const seed = integer("seed", values.seed) ?? DEFAULT_SEED;
const now = values.now ? new Date(values.now) : new Date(Math.floor(Date.now() / 60_000) * 60_000);
if (Number.isNaN(now.getTime())) fail(`--now must be an ISO-8601 date, got ${values.now}`);

const profile = (() => {
  try {
    return resolveProfile(scale);
  } catch (error) {
    return fail((error as Error).message);
  }
})();

const number = (n: number) => Math.round(n).toLocaleString("en");
const tty = process.stderr.isTTY;
const started = performance.now();
const summary: { table: string; rows: number; seconds: number; rate: number }[] = [];
let peakRss = 0;
let lastLogged = 0;

const url = databaseUrl();
process.stderr.write(
  `Generating "${profile.name}" (seed ${seed}, as of ${now.toISOString()}): ${number(profile.identities)} identities, ` +
    `${number(profile.applications)} applications, ${number(profile.grants)} grants, ${number(profile.sessions)} sessions, ` +
    `${number(profile.usageEvents)} usage events\n`,
);
process.stderr.write("Migrating…\n");
await migrateDatabase(url);

try {
  const counts = await loadOrganisation(url, { seed, now, scale }, (table, rows, progress) => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const line = `  ${table.padEnd(20)} ${number(rows).padStart(12)} rows  ${number(progress.rowsPerSecond).padStart(10)} rows/s`;
    if (progress.done) {
      lastLogged = 0;
      summary.push({ table, rows, seconds: progress.elapsedMs / 1000, rate: progress.rowsPerSecond });
      process.stderr.write(`${tty ? "\r\x1b[K" : ""}${line}  done in ${(progress.elapsedMs / 1000).toFixed(1)} s\n`);
    } else if (tty) {
      process.stderr.write(`\r\x1b[K${line}`);
    } else if (progress.elapsedMs - lastLogged >= 5_000) {
      // Logs (not a terminal) get a line every few seconds rather than a redrawn one.
      lastLogged = progress.elapsedMs;
      process.stderr.write(`${line}\n`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(`\nLoaded ${number(total)} rows in ${seconds.toFixed(1)} s (${number(total / seconds)} rows/s overall, committed in one transaction).\n`);
  for (const s of summary) {
    process.stdout.write(`  ${s.table.padEnd(20)} ${number(s.rows).padStart(12)}  ${s.seconds.toFixed(1).padStart(7)} s  ${number(s.rate).padStart(10)} rows/s\n`);
  }
  process.stdout.write(`Peak resident memory: ${number(peakRss / 2 ** 20)} MiB\n`);
} catch (error) {
  if (error instanceof DatabaseNotEmptyError) fail(error.message);
  throw error;
}
