/**
 * Accord's command line: `npm run accord -- <command> [arguments]`.
 *
 *   import <kind> <file> [--format csv|json] [--snapshot-application <name>] [--dry-run]
 *       kind: identities, applications, accounts, entitlements or grants (docs/import.md).
 *       Checks the whole file, prints what it would change, then applies it in one transaction.
 *       Progress goes to stderr, the summary to stdout. Exit code 1 when the file is invalid
 *       (every error is listed by row and column) and nothing was imported; 2 for usage errors.
 *
 *   ingest --format <format> [--application <name or id>] [--source <name>] <file.ndjson>
 *       format: teleport, cloudtrail, okta, entra or generic. The same code path as
 *       POST /api/v1/events: streamed, committed in batches, idempotent (run it again and every
 *       event is a duplicate). Progress goes to stderr; counts and rejected lines to stdout.
 *       Exit code 1 when any line was rejected (the rest is ingested all the same).
 *
 *   verify-bundle <bundle.zip> [--public-key accord.pem] [--checkpoint earlier.json]
 *       Verifies an evidence bundle OFFLINE (no database, no network): the manifest's signature
 *       and every file's SHA-256, the audit hash chain up to the signed checkpoint, an earlier
 *       checkpoint the trail must still pass through, and the completeness arithmetic. Exit code
 *       0 when every check passes, 1 when any fails.
 *
 * The database is DATABASE_URL, or else the embedded one `npm run demo` / `npm start` runs.
 */
import { createReadStream } from "node:fs";
import { stat, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { connect } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { findApplicationByName } from "@/db/queries/imports";
import { systemDeps } from "@/lib/domain/deps";
import { cliPrincipal, importFile } from "@/lib/domain/import/batches";
import { IMPORT_FORMATS, IMPORT_KINDS, isImportKind, MAX_IMPORT_BYTES, type ImportFormat } from "@/lib/domain/import/kinds";
import type { ImportOutcome } from "@/lib/domain/import/run-import";
import { ConfigError, env } from "@/lib/env";
import { findApplicationRef } from "@/db/queries/evidence-ingest";
import { INGEST_FORMATS, isIngestFormat } from "@/lib/domain/ingest/formats";
import { ingestEvents, IngestInterrupted, type IngestResult } from "@/lib/domain/ingest/ingest";

const USAGE = `Usage: npm run accord -- <command>

Commands:
  import <kind> <file> [--format csv|json] [--snapshot-application <name>] [--dry-run]
      kind: ${IMPORT_KINDS.join(", ")}. Files up to ${MAX_IMPORT_BYTES / 2 ** 20} MB; columns in docs/import.md.
  ingest --format <format> [--application <name or id>] [--source <name>] <file.ndjson>
      format: ${INGEST_FORMATS.join(", ")}. Evidence, one event a line (README: Evidence ingest).
      --source files the events (default: the format's name), as an API token's source does.
  verify-bundle <bundle.zip> [--public-key accord.pem] [--checkpoint earlier.json]
      Verifies an evidence bundle offline: signatures, file hashes, audit chain, completeness.
`;

class UsageError extends Error {}

const number = (n: number) => Math.round(n).toLocaleString("en");
const err = (line: string) => process.stderr.write(`${line}\n`);

function databaseUrl(): string {
  const config = env();
  // `npm run demo` and `npm start` without DATABASE_URL run this embedded server.
  return config.DATABASE_URL ?? `postgres://accord:accord@127.0.0.1:${config.ACCORD_DB_PORT}/accord`;
}

function describe(outcome: ImportOutcome, verb: "would" | "did"): string[] {
  if (!outcome.ok) return [];
  const lines = outcome.summary.counts.map((c) =>
    verb === "would"
      ? `  ${c.entity}: ${number(c.create)} to create, ${number(c.update)} to update, ${number(c.unchanged)} unchanged`
      : `  ${c.entity}: ${number(c.create)} created, ${number(c.update)} updated, ${number(c.unchanged)} unchanged`,
  );
  const s = outcome.summary.snapshot;
  if (s) {
    lines.push(
      `  snapshot of ${s.application}: ${number(s.present)} live grants present, ${number(s.absent)} absent (${number(s.newlyAbsent)} newly absent)${verb === "would" ? " once applied" : ""}`,
    );
  }
  return lines;
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: "string" }, "snapshot-application": { type: "string" }, "dry-run": { type: "boolean", default: false } },
  });
  const [kind, file, ...extra] = positionals;
  if (!kind || !file || extra.length) throw new UsageError("import needs a kind and a file.");
  if (!isImportKind(kind)) throw new UsageError(`Unknown kind "${kind}"; expected one of ${IMPORT_KINDS.join(", ")}.`);
  const format = values.format;
  if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be csv or json, got "${format}".`);
  const size = (await stat(file)).size;
  if (size > MAX_IMPORT_BYTES) {
    err(`${file}: ${number(size / 2 ** 20)} MB is over the ${MAX_IMPORT_BYTES / 2 ** 20} MB import limit; split the file. Nothing was imported.`);
    return 1;
  }

  const url = databaseUrl();
  await migrateDatabase(url);
  const { db, close } = connect(url, { max: 3 });
  try {
    const deps = systemDeps(db);
    let snapshotApplicationId: string | undefined;
    if (values["snapshot-application"]) {
      if (kind !== "grants") throw new UsageError("--snapshot-application only applies to a grants file.");
      const app = await findApplicationByName(db, { name: values["snapshot-application"] });
      if (!app) {
        err(`No application named "${values["snapshot-application"]}". Nothing was imported.`);
        return 1;
      }
      snapshotApplicationId = app.id;
    }

    const content = await readFile(file);
    const started = performance.now();
    let lastReport = 0;
    let peakRss = process.memoryUsage().rss;
    const tty = process.stderr.isTTY;
    const action = values["dry-run"] ? "Checking" : "Importing";
    err(`${action} ${path.basename(file)} (${kind}, ${number(size / 1024)} KB)…`);
    const onProgress = (rows: number) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const now = performance.now();
      if (now - lastReport < (tty ? 200 : 2_000)) return;
      lastReport = now;
      const line = `  ${action}: ${number(rows)} rows read (${number((rows * 1000) / Math.max(1, now - started))} rows/s)`;
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    };

    const { batchId, outcome, applied } = await importFile(
      deps,
      cliPrincipal(os.userInfo().username),
      { kind, format: format as ImportFormat | undefined, filename: path.basename(file), content, snapshotApplicationId },
      { dryRun: values["dry-run"], errorLimit: Number.POSITIVE_INFINITY, onProgress },
    );
    if (tty && lastReport) process.stderr.write("\n");
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (!outcome.ok) {
      for (const e of outcome.errors) err(`${e.row > 0 ? `row ${e.row}` : "file"}, column ${e.column}: ${e.message}`);
      err(`${number(outcome.errorCount)} error${outcome.errorCount === 1 ? "" : "s"}${outcome.rows ? ` in ${number(outcome.rows)} rows` : ""}. Nothing was imported (batch ${batchId}).`);
      return 1;
    }
    if (!applied) {
      process.stdout.write([`Dry run of ${file}: all ${number(outcome.rows)} rows are valid. Nothing was imported (batch ${batchId}).`, ...describe(outcome, "would"), ""].join("\n"));
      return 0;
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      [
        `Imported ${file}: ${number(outcome.rows)} rows in ${seconds.toFixed(1)} s (${number(outcome.rows / seconds)} rows/s), one transaction, batch ${batchId}.`,
        ...describe(outcome, "did"),
        `  peak resident memory: ${number(peakRss / 2 ** 20)} MiB`,
        "",
      ].join("\n"),
    );
    return 0;
  } finally {
    await close();
  }
}

function ingestSummary(file: string, result: IngestResult, seconds: number): string {
  const events = result.accepted + result.unmatched + result.duplicate;
  return [
    `Ingested ${file}: ${number(result.lines)} lines in ${seconds.toFixed(1)} s (${number(result.lines / Math.max(seconds, 0.001))} lines/s).`,
    `  accepted ${number(result.accepted)} (used without approval: ${number(result.withoutApproval)}), unmatched ${number(result.unmatched)}, duplicate ${number(result.duplicate)}, ignored ${number(result.ignored)}, rejected ${number(result.rejected)}`,
    ...(events === 0 && result.rejected === 0 ? ["  nothing in the file was evidence"] : []),
    ...result.rejectedLines.map((r) => `  line ${r.line}: ${r.reason}`),
    ...(result.rejected > result.rejectedLines.length ? [`  … and ${number(result.rejected - result.rejectedLines.length)} more rejected lines`] : []),
    "",
  ].join("\n");
}

async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: "string" }, application: { type: "string" }, source: { type: "string" } } });
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError("ingest needs one file.");
  const format = values.format;
  if (!format || !isIngestFormat(format)) throw new UsageError(`--format must be one of ${INGEST_FORMATS.join(", ")}.`);
  if (!values.application && format !== "generic") throw new UsageError("--application is required for this format (the application's name or id).");
  const source = values.source ?? format;
  if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(source)) throw new UsageError("--source: lower-case letters, digits, dot, dash or underscore, e.g. teleport-prod.");
  const size = (await stat(file)).size;

  const url = databaseUrl();
  await migrateDatabase(url);
  const { db, close } = connect(url, { max: 3 });
  try {
    const deps = systemDeps(db);
    const app = values.application ? await findApplicationRef(db, { ref: values.application }) : null;
    if (values.application && !app) {
      err(`No application has the id or name "${values.application}". Nothing was ingested.`);
      return 1;
    }
    const started = performance.now();
    const tty = process.stderr.isTTY;
    let lastReport = 0;
    err(`Ingesting ${path.basename(file)} (${format}${app ? ` for ${app.name}` : ""}, source ${source}, ${number(size / 1024)} KB)…`);
    const onProgress = (p: { lines: number; bytes: number; committedThroughLine: number }) => {
      const now = performance.now();
      if (now - lastReport < (tty ? 200 : 2_000)) return;
      lastReport = now;
      const line = `  ${((100 * p.bytes) / Math.max(size, 1)).toFixed(0)}%: ${number(p.lines)} lines read, stored through line ${number(p.committedThroughLine)} (${number((p.lines * 1000) / Math.max(1, now - started))} lines/s)`;
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    };
    let result: IngestResult;
    try {
      result = await ingestEvents(deps, { kind: "system", id: null, label: `cli:${os.userInfo().username}` }, { format, source, applicationId: app?.id ?? null, onProgress }, createReadStream(file));
    } catch (error) {
      if (!(error instanceof IngestInterrupted)) throw error;
      if (tty && lastReport) process.stderr.write("\n");
      process.stdout.write(ingestSummary(file, error.result, (performance.now() - started) / 1000));
      err(`accord: ${error.message} (${error.cause instanceof Error ? error.cause.message : String(error.cause)})`);
      return 1;
    }
    if (tty && lastReport) process.stderr.write("\n");
    process.stdout.write(ingestSummary(file, result, (performance.now() - started) / 1000));
    return result.rejected > 0 ? 1 : 0;
  } finally {
    await close();
  }
}

async function verifyBundleCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { "public-key": { type: "string" }, checkpoint: { type: "string" } } });
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError("verify-bundle needs one bundle file.");
  // Loaded here so this command touches neither the database nor the configuration.
  const { verifyBundle } = await import("@/lib/domain/evidence-export/verify-bundle");
  const report = await verifyBundle(file, {
    publicKey: values["public-key"] ? await readFile(values["public-key"], "utf8") : undefined,
    earlierCheckpoint: values.checkpoint ? await readFile(values.checkpoint, "utf8") : undefined,
  });
  for (const c of report.checks) process.stdout.write(`${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}\n`);
  for (const w of report.warnings) process.stdout.write(`note  ${w}\n`);
  process.stdout.write(
    report.ok ? `Bundle verified: ${report.checks.length} checks passed.\n` : `Bundle NOT verified: ${report.checks.filter((c) => !c.ok).length} of ${report.checks.length} checks failed.\n`,
  );
  return report.ok ? 0 : 1;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { import: importCommand, ingest: ingestCommand, "verify-bundle": verifyBundleCommand };

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const handler = COMMANDS[command];
  if (!handler) throw new UsageError(`Unknown command "${command}".`);
  return handler(rest);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`accord: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) err(`accord: ${error.message}`);
    else if ((error as NodeJS.ErrnoException).code === "ENOENT") err(`accord: ${(error as Error).message}`);
    else if ((error as NodeJS.ErrnoException).code === "ECONNREFUSED")
      err(`accord: cannot reach the database at ${databaseUrl().replace(/:[^:@/]+@/, ":***@")}. Set DATABASE_URL, or start Accord (npm start) so its embedded database runs.`);
    else err(`accord: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
