/**
 * Fails when db/schema changed without a committed migration: generates into a scratch copy
 * of drizzle/ and reports any new migration drizzle-kit would write.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// drizzle-kit wants a path relative to the project, so the scratch copy lives under .data/.
const scratch = path.join(".data", `migration-check-${process.pid}`);
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(path.dirname(scratch), { recursive: true });
fs.cpSync("drizzle", scratch, { recursive: true });
const before = new Set(fs.readdirSync(scratch));
const result = spawnSync(
  path.join("node_modules", ".bin", "drizzle-kit"),
  ["generate", "--dialect", "postgresql", "--schema", "./db/schema/index.ts", "--out", scratch, "--casing", "snake_case", "--name", "uncommitted"],
  { encoding: "utf8" },
);
const added = fs.readdirSync(scratch).filter((f) => !before.has(f));
fs.rmSync(scratch, { recursive: true, force: true });
if (result.status !== 0) {
  console.error(result.stdout, result.stderr);
  process.exit(1);
}
if (added.length > 0) {
  console.error(`db/schema has changes with no migration (drizzle-kit would add ${added.join(", ")}). Run: npm run db:generate`);
  process.exit(1);
}
console.log("Migrations match the schema.");
