import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "components", "lib", "db", "public"];
const SOURCE_FILES = ["package-lock.json", "next.config.ts", "postcss.config.mjs", "tsconfig.json"];
const FINGERPRINT_FILE = path.join(".next", "accord-build-fingerprint");

function* walk(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (!entry.name.endsWith(".test.ts")) yield full;
  }
}

/** Paths, sizes and modification times of everything the build reads: cheap, and changes whenever the code does. */
export function sourceFingerprint(root = process.cwd()): string {
  const hash = createHash("sha256");
  const files = [...SOURCE_DIRS.flatMap((d) => [...walk(path.join(root, d))]), ...SOURCE_FILES.map((f) => path.join(root, f))].sort();
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const stat = fs.statSync(file);
    hash.update(`${path.relative(root, file)}:${stat.size}:${stat.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

/** Runs `next build` unless the last build was made from exactly these sources. */
export async function buildIfStale(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(".next", "BUILD_ID")) && fs.existsSync(FINGERPRINT_FILE) && fs.readFileSync(FINGERPRINT_FILE, "utf8") === fingerprint;
  if (built) {
    log("Production build is up to date.");
    return;
  }
  log("Building Accord for production (next build)…");
  await run(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], { ...env, NODE_ENV: "production" });
  fs.writeFileSync(FINGERPRINT_FILE, fingerprint);
}
