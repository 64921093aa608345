import fs from "node:fs";
import path from "node:path";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoIfEmpty } from "@/lib/demo/seed";
import { childProcessEnv } from "@/lib/env";
import { buildIfStale } from "@/lib/launcher/build";
import { startNext } from "@/lib/launcher/next-server";
import { createDatabase, dropDatabase, testServerUrl } from "@/lib/testing/server";
import { OIDC_CLIENT, startOidcProvider } from "./fixtures/oidc-provider";
import { E2E_PORT, STATE_FILE, type E2eState } from "./fixtures/state";

const OIDC_PORT = 9411;
const DATABASE = "accord_e2e";
const log = (line: string) => console.log(`[e2e] ${line}`);

/**
 * Brings up the whole system the way a user runs it: a fresh database with the demo
 * organisation, the loopback identity provider, and the production build of Accord.
 */
export default async function globalSetup() {
  const server = await testServerUrl();
  const databaseUrl = await createDatabase(server.adminUrl, DATABASE);
  await migrateDatabase(databaseUrl);
  await seedDemoIfEmpty(databaseUrl, log);

  const baseURL = `http://127.0.0.1:${E2E_PORT}`;
  const oidc = await startOidcProvider({ port: OIDC_PORT, redirectUri: `${baseURL}/api/auth/callback/oidc` });
  const env = childProcessEnv({
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789",
    AUTH_URL: baseURL,
    AUTH_OIDC_ISSUER: oidc.issuer,
    AUTH_OIDC_CLIENT_ID: OIDC_CLIENT.id,
    AUTH_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    AUTH_OIDC_NAME: "Loopback IdP",
    ACCORD_DEMO: "true",
  });
  await buildIfStale(env, log);
  const next = await startNext({ port: E2E_PORT, env, host: "127.0.0.1", quiet: true });
  log(`Accord is up at ${baseURL}`);

  const state: E2eState = { baseURL, databaseUrl, oidcIssuer: oidc.issuer };
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));

  return async () => {
    next.kill("SIGTERM");
    await new Promise((resolve) => next.once("exit", resolve));
    await oidc.close();
    await dropDatabase(server.adminUrl, DATABASE);
    await server.stop();
  };
}
