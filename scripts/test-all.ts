/**
 * The whole test suite, as `npm test` runs it: type check, type-aware lint, formatting, migrations match
 * the schema, unit tests, integration tests on real PostgreSQL, Playwright in a real Chromium,
 * then the benchmark harness once at its smallest scale (that it runs, not how fast). Ends with
 * one summary line ("tests: N passed, N failed") that CI reads.
 *
 * Integration and end-to-end tests use TEST_DATABASE_URL (a server where they may create and
 * drop databases), or an embedded PostgreSQL under .data/test when it is not set.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { childProcessEnv, env } from "@/lib/env";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const results: { step: string; ok: boolean; counts?: Counts; seconds: number }[] = [];
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-test-"));

function run(step: string, command: string, args: string[], env: NodeJS.ProcessEnv = childProcessEnv()): Promise<boolean> {
  console.log(`\n=== ${step} ===`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("exit", (code) => {
      results.push({ step, ok: code === 0, seconds: (Date.now() - started) / 1000 });
      resolve(code === 0);
    });
  });
}

const bin = (name: string) => path.join("node_modules", ".bin", name);

function vitestCounts(file: string): Counts | undefined {
  if (!fs.existsSync(file)) return undefined;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts(file: string): Counts | undefined {
  if (!fs.existsSync(file)) return undefined;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
}

async function vitest(step: string, project: string) {
  const out = path.join(reportDir, `${project}.json`);
  await run(step, bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  recordCounts(vitestCounts(out));
}

/** A step whose report counts a failed test has failed, whatever its exit code said. */
function recordCounts(counts: Counts | undefined) {
  const last = results[results.length - 1]!;
  last.counts = counts;
  if (counts && counts.failed > 0) last.ok = false;
}

async function main() {
  const only = process.argv.slice(2);
  const wants = (name: string) => only.length === 0 || only.includes(name);
  if (wants("types")) await run("Type check", bin("tsc"), ["--noEmit", "-p", "."]);
  if (wants("lint")) await run("Lint (type-aware)", bin("eslint"), ["."]);
  if (wants("format")) await run("Formatting (prettier --check)", bin("prettier"), ["--check", "--log-level", "warn", "."]);
  if (wants("migrations")) await run("Migrations match the schema", bin("tsx"), ["scripts/check-migrations.ts"]);
  if (wants("unit")) await vitest("Unit tests", "unit");
  if (wants("integration")) await vitest("Integration tests (PostgreSQL)", "integration");
  if (wants("e2e")) {
    const out = path.join(reportDir, "e2e.json");
    await run("End-to-end tests (Chromium)", bin("playwright"), ["test", "--reporter=list,json"], childProcessEnv({ PLAYWRIGHT_JSON_OUTPUT_NAME: out }));
    recordCounts(playwrightCounts(out));
  }
  if (wants("bench")) {
    // A smoke test that the benchmark harness works end to end, not a timed assertion: it fails
    // only when a section cannot run. Its databases go beside the tests' (or the embedded server).
    const testServer = env().TEST_DATABASE_URL;
    const benchEnv = childProcessEnv({ DATABASE_URL: testServer });
    if (!testServer) delete benchEnv.DATABASE_URL;
    await run("Benchmark harness smoke test (--scale small)", bin("tsx"), ["scripts/bench.ts", "--scale", "small", "--runs", "1"], benchEnv);
  }

  console.log("\n=== Summary ===");
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    const c = r.counts;
    if (c) {
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
    }
    // A step that failed without failing tests (a crash, a type error) still counts as one failure.
    if (!r.ok && (!c || c.failed === 0)) total.failed += 1;
    console.log(`${r.ok ? "ok  " : "FAIL"} ${r.step}${c ? `: ${c.passed} passed, ${c.failed} failed` : ""} (${r.seconds.toFixed(0)} s)`);
  }
  console.log(`tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

void main();
