/**
 * Mutation testing (SECURITY.md "Gate"): Stryker changes the code that decides who may do what,
 * that makes the audit trail tamper-evident, and that signs what Accord hands out, then checks
 * that some unit test fails for each change. Pure modules only, against the unit tests only, so
 * it needs no database. `npm run mutation`; too slow for `npm test`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  mutate: [
    // Authorization: the permission rules.
    "lib/domain/access/rules.ts",
    "lib/domain/access/finding-rules.ts",
    "lib/domain/access/metric-rules.ts",
    // Audit: canonical JSON and row hash, chain verification (in the database and in a bundle).
    "lib/domain/audit/hash.ts",
    "lib/domain/evidence-export/audit-rows.ts",
    // Signatures: Ed25519 checkpoints and manifests, Standard Webhooks HMAC.
    "lib/domain/audit/checkpoint-format.ts",
    "lib/http/webhook-signature.ts",
  ],
  testRunner: "vitest",
  vitest: { configFile: "vitest.unit.config.ts" },
  coverageAnalysis: "perTest",
  // Two cores shared with other work.
  concurrency: 2,
  // The sandbox is a copy of the project: leave out build output, databases and scratch folders.
  ignorePatterns: [".next", ".data", "bench-results", "test-results", "playwright-report", "e2e", "docs", "tmp-*"],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // Below 90 % the run fails: a drop means a rule or a check lost the test that guarded it.
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
