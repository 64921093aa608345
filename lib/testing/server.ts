import { startEmbeddedPostgres } from "@/db/embedded";
import { env } from "@/lib/env";
import postgres from "postgres";

/**
 * The PostgreSQL server tests create their databases on: TEST_DATABASE_URL when set (CI and
 * developers with a server), otherwise an embedded server under .data/test-pg, so the suite
 * runs on a machine with no PostgreSQL installed.
 */
export async function testServerUrl(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  const configured = env().TEST_DATABASE_URL;
  if (configured) return { adminUrl: configured, stop: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir: ".data/test", port: 54330, database: "postgres" });
  return { adminUrl: embedded.url, stop: embedded.stop };
}

export function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ""}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
