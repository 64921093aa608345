/**
 * Performance figures, printed, never asserted in a test (issue 9). Generates or reuses a data
 * set at the chosen scale, measures the machine's own limits (raw COPY FROM / COPY TO, a
 * primary-key lookup), then every figure, each beside its limit as a ratio and its target.
 * Pages are measured through HTTP on the production build; domain functions directly where
 * HTTP adds nothing. Prints a table and writes the results as JSON for comparison.
 *
 *   npm run bench -- [--scale small|medium|large] [--runs 3] [--only campaigns,dashboard,…] [--out file.json]
 *
 * Without DATABASE_URL it runs on the embedded PostgreSQL (under ACCORD_DATA_DIR/bench); with
 * it, data sets are databases beside DATABASE_URL's, created on first use and kept.
 * Targets are defined at --scale large; smaller scales smoke-test the harness.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/db/embedded";
import { env } from "@/lib/env";
import { buildApp, startApp, type AppServer } from "./bench/app-server";
import { campaignsSection } from "./bench/campaigns";
import type { BenchContext, Section } from "./bench/context";
import { datasetName, ensureDataset, GENERATOR_VERSION, isScaleName, type ScaleName } from "./bench/dataset";
import { dashboardSection } from "./bench/dashboard";
import { dataInSection } from "./bench/data-in";
import { exportSection } from "./bench/export";
import { evaluate, renderTable, type FigureResult } from "./bench/figures";
import { findingsSection } from "./bench/findings";
import { ingestSection } from "./bench/ingest";
import { inventorySection } from "./bench/inventory";
import { measureLimits } from "./bench/limits";
import { revocationsSection } from "./bench/revocations";
import { scaleOutSection } from "./bench/scale-out";

const SECTIONS: Record<string, Section> = {
  inventory: inventorySection,
  dashboard: dashboardSection,
  campaigns: campaignsSection,
  findings: findingsSection,
  export: exportSection,
  ingest: ingestSection,
  "data-in": dataInSection,
  revocations: revocationsSection,
  "scale-out": scaleOutSection,
};

const LIMIT_ROWS: Record<ScaleName, number> = { small: 100_000, medium: 300_000, large: 1_000_000 };

const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "small" },
    runs: { type: "string", default: "3" },
    only: { type: "string" },
    out: { type: "string" },
    port: { type: "string", default: "3200" },
  },
});

const log = (line: string) => console.log(line);

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

async function main() {
  if (!isScaleName(args.scale)) fail(`--scale must be small, medium or large, got ${args.scale}`);
  const scale = args.scale;
  const runs = Number(args.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer, got ${args.runs}`);
  const chosen = args.only ? args.only.split(",").map((s) => s.trim()) : Object.keys(SECTIONS);
  for (const name of chosen) if (!SECTIONS[name]) fail(`unknown section ${name}; sections: ${Object.keys(SECTIONS).join(", ")}`);
  const basePort = Number(args.port);
  const started = new Date();

  let embedded: EmbeddedDatabase | null = null;
  let adminUrl = env().DATABASE_URL;
  if (!adminUrl) {
    const dataDir = path.join(env().ACCORD_DATA_DIR, "bench");
    log(`No DATABASE_URL: starting the embedded PostgreSQL in ${path.resolve(dataDir)}…`);
    embedded = await startEmbeddedPostgres({ dataDir, port: env().ACCORD_DB_PORT + 10, database: "postgres" });
    adminUrl = embedded.url;
  }
  let app: AppServer | null = null;
  let starting: Promise<AppServer> | null = null;
  const results: FigureResult[] = [];
  const failures: string[] = [];
  try {
    const url = await ensureDataset(adminUrl, scale, log);
    log("\nMeasuring the machine's own limits…");
    const limits = await measureLimits(url, { rows: LIMIT_ROWS[scale], runs: Math.min(runs, 3) });
    log(
      `  raw COPY FROM ${Math.round(limits.copyFromRowsPerSecond).toLocaleString("en")} rows/s, raw COPY TO ${Math.round(limits.copyToRowsPerSecond).toLocaleString("en")} rows/s ` +
        `(${limits.rows.toLocaleString("en")} usage-event rows), primary-key lookup ${limits.pkLookupMs.toFixed(2)} ms`,
    );
    const ctx: BenchContext = {
      scale,
      url,
      adminUrl,
      runs,
      limits,
      log,
      sparePort: (n) => basePort + n,
      // Built and started once, on first use; a failed build fails every HTTP section the same way.
      app: () =>
        (starting ??= (async () => {
          await buildApp(log);
          app = await startApp(url, { port: basePort });
          return app;
        })()),
    };
    for (const name of chosen) {
      log(`\n— ${name}`);
      const sectionStarted = performance.now();
      try {
        for (const figure of await SECTIONS[name]!(ctx)) {
          const result = evaluate(figure, limits);
          results.push(result);
          log(`  ${result.label}: ${renderTable([result]).split("\n")[2]}`);
        }
      } catch (error) {
        failures.push(`${name}: ${(error as Error).stack ?? error}`);
        log(`  section ${name} failed: ${(error as Error).message}`);
      }
      log(`  (${((performance.now() - sectionStarted) / 1000).toFixed(0)} s)`);
    }

    const seconds = (Date.now() - started.getTime()) / 1000;
    log(`\nAccord at scale ${scale} (${datasetName(scale)}), ${runs} run(s), medians; latencies p95 over every request. ${(seconds / 60).toFixed(1)} min in all.`);
    log(
      `Limits: raw COPY FROM ${Math.round(limits.copyFromRowsPerSecond).toLocaleString("en")} rows/s, raw COPY TO ${Math.round(limits.copyToRowsPerSecond).toLocaleString("en")} rows/s, PK lookup ${limits.pkLookupMs.toFixed(2)} ms.`,
    );
    log(`Ratios: rates ÷ the raw COPY rate (1.00 = PostgreSQL alone); latencies ÷ a PK lookup's round trip.${scale === "large" ? "" : " Targets are defined at --scale large."}\n`);
    log(renderTable(results));
    for (const r of results.filter((r) => r.note)) log(`  ${r.label}: ${r.note}`);
    const out = args.out ?? path.join("bench-results", `${scale}-${started.toISOString().replace(/[:.]/g, "-")}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const report = {
      scale,
      dataset: datasetName(scale),
      generatorVersion: GENERATOR_VERSION,
      runs,
      startedAt: started.toISOString(),
      seconds,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: await serverVersion(url) },
      limits,
      figures: results.map(({ samples, ...rest }) => ({ ...rest, samples: samples.length > 50 ? undefined : samples, sampleCount: samples.length })),
      failures,
    };
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    log(`\nResults written to ${out}`);
  } finally {
    if (app) await (app as AppServer).stop();
    await embedded?.stop();
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} section(s) failed:\n${failures.join("\n\n")}`);
    process.exit(1);
  }
}

async function serverVersion(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    return row!.server_version;
  } finally {
    await sql.end();
  }
}

void main();
