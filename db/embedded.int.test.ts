import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { migrateDatabase } from "./migrate";

describe("the embedded PostgreSQL a new user runs on", () => {
  it("initialises, migrates, restarts with its data, and stops", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-embedded-"));
    fs.chmodSync(dataDir, 0o755);
    const first = await startEmbeddedPostgres({ dataDir, port: 54391 });
    try {
      await migrateDatabase(first.url);
      const { db, close } = connect(first.url, { max: 1 });
      await db.execute(sql`insert into applications (source, name) values ('test', 'Survives restarts')`);
      await close();
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir, port: 54391 });
    try {
      await migrateDatabase(second.url);
      const { db, close } = connect(second.url, { max: 1 });
      const rows = await db.execute<{ name: string }>(sql`select name from applications`);
      expect(rows.map((r) => r.name)).toEqual(["Survives restarts"]);
      const [version] = await db.execute<{ server_version_num: string }>(sql`show server_version_num`);
      expect(Number(version!.server_version_num)).toBeGreaterThanOrEqual(150000);
      await close();
    } finally {
      await second.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
