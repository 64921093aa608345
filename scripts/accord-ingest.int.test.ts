import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { privilegedSessions } from "@/db/schema";
import { FIXTURES } from "@/lib/domain/ingest/fixtures";
import { makeAccount, makeApplication, makePerson } from "@/lib/testing/factories";
import { testDatabaseUrl, testDb } from "@/lib/testing/test-db";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

async function accord(...args: string[]) {
  try {
    const { stdout, stderr } = await run(path.join(root, "node_modules/.bin/tsx"), ["scripts/accord.ts", ...args], { cwd: root, env: { ...process.env, DATABASE_URL: testDatabaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run accord -- ingest", () => {
  it("ingests a file through the same path as the API, reports progress and counts, and is idempotent", async () => {
    const app = await makeApplication(testDb, { name: "Bastion (CLI)" });
    await makeAccount(testDb, { applicationId: app.id, identityId: (await makePerson(testDb)).id, username: "rjones" });
    const file = path.join(FIXTURES, "teleport-session-recording-vim.ndjson");
    const first = await accord("ingest", "--format", "teleport", "--application", "Bastion (CLI)", "--source", "teleport-cli", file);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("Ingesting teleport-session-recording-vim.ndjson");
    expect(first.stdout).toContain("accepted 3 (used without approval: 3), unmatched 0, duplicate 0, ignored 157, rejected 0");
    const [session] = await testDb.select().from(privilegedSessions).where(eq(privilegedSessions.source, "teleport-cli"));
    expect(session).toMatchObject({ durationSeconds: 65, applicationId: app.id, usedWithoutApproval: true });

    const again = await accord("ingest", "--format", "teleport", "--application", app.id, "--source", "teleport-cli", file);
    expect(again.stdout).toContain("accepted 0 (used without approval: 0), unmatched 0, duplicate 3");
  });

  it("lists rejected lines and exits 1; usage errors exit 2", async () => {
    await makeApplication(testDb, { name: "Teleport (CLI)" });
    const result = await accord("ingest", "--format", "teleport", "--application", "Teleport (CLI)", path.join(FIXTURES, "teleport-panther-test-events.ndjson"));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('line 14: time: "2023-09-20T23:00:000.000000Z" is not an ISO 8601 timestamp');
    expect((await accord("ingest", "--format", "syslog", "x.ndjson")).code).toBe(2);
    expect((await accord("ingest", "--format", "teleport", "x.ndjson")).stderr).toContain("--application is required");
  });
});
