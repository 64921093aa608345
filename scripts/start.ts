/**
 * Starts Accord: `npm run demo` (demo data, demo sign-in) or `npm start` (your own data).
 * Without DATABASE_URL it runs a real PostgreSQL from npm under ./.data/, so nothing needs
 * installing. Migrations apply at every start; the production build is made when stale.
 *
 *   --demo   seed the demo organisation if the database is empty, and allow demo sign-in
 *   --dev    run `next dev` instead of the production build
 *   --port N listen on N (default 3000)
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { childProcessEnv, ConfigError, env, setEnv } from "@/lib/env";
import { seedDemoIfEmpty } from "@/lib/demo/seed";
import { buildIfStale } from "@/lib/launcher/build";
import { startNext } from "@/lib/launcher/next-server";

const { values: args } = parseArgs({
  options: { demo: { type: "boolean", default: false }, dev: { type: "boolean", default: false }, port: { type: "string", default: "3000" } },
});
const log = (line: string) => console.log(`[accord] ${line}`);

/** Demo mode may run without AUTH_SECRET: one is made once and kept beside the data. */
function demoSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  const config = env();
  let embedded: EmbeddedDatabase | null = null;
  if (!config.DATABASE_URL) {
    log(`No DATABASE_URL: starting the embedded PostgreSQL in ${path.resolve(config.ACCORD_DATA_DIR)} (port ${config.ACCORD_DB_PORT})…`);
    embedded = await startEmbeddedPostgres({ dataDir: config.ACCORD_DATA_DIR, port: config.ACCORD_DB_PORT });
    setEnv("DATABASE_URL", embedded.url);
  }
  const databaseUrl = env().DATABASE_URL!;
  log("Applying migrations…");
  await migrateDatabase(databaseUrl);
  if (args.demo) {
    setEnv("ACCORD_DEMO", "true");
    if (!config.AUTH_SECRET) setEnv("AUTH_SECRET", demoSecret(config.ACCORD_DATA_DIR));
    await seedDemoIfEmpty(databaseUrl, log);
  }
  // The default public URL follows --port; an explicit AUTH_URL (behind a proxy, say) wins.
  if (config.AUTH_URL === "http://localhost:3000" && args.port !== "3000") setEnv("AUTH_URL", `http://localhost:${args.port}`);
  const childEnv = childProcessEnv();
  if (!args.dev) await buildIfStale(childEnv, log);
  const next = await startNext({ port: Number(args.port), dev: args.dev, env: { ...childEnv, NODE_ENV: args.dev ? "development" : "production" } });
  log(`Accord is running at ${env().AUTH_URL}${args.demo ? " (demo mode: pick a person on the sign-in page)" : ""}. Press Ctrl+C to stop.`);

  const stop = async () => {
    next.kill("SIGTERM");
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  next.on("exit", (code) => {
    void embedded?.stop().finally(() => process.exit(code ?? 1));
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`[accord] ${error.message}`);
  else console.error("[accord] could not start:", error);
  process.exit(1);
});
