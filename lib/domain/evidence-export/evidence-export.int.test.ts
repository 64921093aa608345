import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { and, asc, eq, gte, sql } from "drizzle-orm";
import { parse } from "csv-parse/sync";
import yauzl from "yauzl";
import { ZipFile } from "yazl";
import { describe, expect, it } from "vitest";
import { auditEvents, evidenceExports, reviewItems, revocationAttempts, revocations } from "@/db/schema";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson, makeRequest, makeSession } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { checkpointDocument, publishCheckpoint } from "@/lib/domain/audit/checkpoints";
import { auditHash, type AuditContent } from "@/lib/domain/audit/hash";
import { createCampaign, createCampaignInput } from "@/lib/domain/campaigns/create-campaign";
import { decideItems } from "@/lib/domain/campaigns/decide-items";
import { launchCampaign, runLaunch } from "@/lib/domain/campaigns/launch-campaign";
import type { Actor } from "@/lib/domain/access/actor";
import { openExport } from "./open-export";
import { exportRequestSchema, startExport } from "./start-export";
import { verifyBundle } from "./verify-bundle";

const DAY = 86_400_000;
const clock = new Date("2026-06-01T09:00:00Z");
const deps = testDeps(() => clock);
const dir = await mkdtemp(path.join(os.tmpdir(), "accord-evidence-"));

/** A campaign over one application: three grants, one approved through a request, one with sessions; two decided. */
async function decidedCampaign() {
  const admin = await makePerson(testDb, { roles: ["admin"] });
  const auditor = await makePerson(testDb, { roles: ["auditor"] });
  const manager = await makePerson(testDb);
  const [alice, bob, carol] = [await makePerson(testDb, { managerId: manager.id }), await makePerson(testDb, { managerId: manager.id }), await makePerson(testDb, { managerId: manager.id })];
  const app = await makeApplication(testDb);
  const adminRole = await makeEntitlement(testDb, { applicationId: app.id, privileged: true, name: "prod-admin" });
  const { request } = await makeRequest(testDb, { requesterId: alice.id, entitlementId: adminRole.id, approverIds: [manager.id, admin.id] });
  const aliceGrant = await makeGrant(testDb, { identityId: alice.id, entitlementId: adminRole.id, grantedAt: new Date(clock.getTime() - 100 * DAY), requestId: request.id });
  const bobGrant = await makeGrant(testDb, { identityId: bob.id, entitlementId: adminRole.id, grantedAt: new Date(clock.getTime() - 100 * DAY) });
  await makeGrant(testDb, { identityId: carol.id, entitlementId: adminRole.id, grantedAt: new Date(clock.getTime() - 100 * DAY) });
  await makeSession(testDb, { grantId: aliceGrant.id, identityId: alice.id, startedAt: new Date(clock.getTime() - 3 * DAY), minutes: 30, target: "db-1" });
  await makeSession(testDb, { grantId: aliceGrant.id, identityId: alice.id, startedAt: new Date(clock.getTime() - 200 * DAY), minutes: 30, target: "outside the window" });

  const adminActor = await actorFor(testDb, admin.id);
  const { campaignId } = await createCampaign(
    deps,
    adminActor,
    createCampaignInput.parse({ name: `Q2 <review> ${Math.random()}`, scope: { applicationIds: [app.id] }, reviewerRule: "manager", removals: "on_decision", fallbackReviewerId: admin.id }),
  );
  await launchCampaign(deps, adminActor, { campaignId });
  await runLaunch(deps, { campaignId });
  const items = await testDb.select().from(reviewItems).where(eq(reviewItems.campaignId, campaignId));
  const reviewer = await actorFor(testDb, manager.id);
  const of = (grantId: string) => items.find((i) => i.grantId === grantId)!;
  await decideItems(deps, reviewer, { items: [{ itemId: of(aliceGrant.id).id, version: 0 }], decision: "certify", comment: "On call", secondsSpent: 42 });
  await decideItems(deps, reviewer, { items: [{ itemId: of(bobGrant.id).id, version: 0 }], decision: "revoke", comment: "Moved teams", secondsSpent: 7 });
  const [revocation] = await testDb.select().from(revocations).where(eq(revocations.grantId, bobGrant.id));
  await testDb
    .insert(revocationAttempts)
    .values({ revocationId: revocation!.id, attempt: 1, phase: "dispatch", request: { op: "remove" }, response: { status: 204 }, outcome: "applied", startedAt: clock, finishedAt: clock });
  return { campaignId, auditor: await actorFor(testDb, auditor.id), admin: adminActor, reviewer, items, aliceGrant, bobGrant };
}

async function download(actor: Actor, request: Record<string, unknown>, name: string) {
  const started = await startExport(deps, actor, exportRequestSchema.parse(request));
  const opened = await openExport(deps, actor, { exportId: started.exportId });
  const file = path.join(dir, name);
  await pipeline(opened.body, createWriteStream(file));
  expect(await opened.done).toBe("completed");
  return { file, opened, ...started };
}

function zipEntries(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on("entry", (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          // A read error must fail the test, not leave it waiting for an "end" that never comes.
          buffer(stream).then((data) => {
            out.set(entry.fileName, data);
            zip.readEntry();
          }, reject);
        }),
      );
      zip.on("end", () => resolve(out));
      zip.readEntry();
    });
  });
}

async function rezip(entries: Map<string, Buffer>, file: string) {
  const zip = new ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}

const failed = (report: Awaited<ReturnType<typeof verifyBundle>>) => report.checks.filter((c) => !c.ok).map((c) => c.name);

describe("auditor evidence export", () => {
  it("exports every item of a campaign with its decision, and the bundle verifies offline", async () => {
    const c = await decidedCampaign();
    const { file } = await download(c.auditor, { scope: "campaign", campaignId: c.campaignId, format: "bundle" }, "campaign.zip");
    const report = await verifyBundle(file);
    expect(failed(report)).toEqual([]);
    expect(report.warnings.join(" ")).toMatch(/public key inside the bundle/);

    const entries = await zipEntries(file);
    const items = parse(entries.get("data/items.csv")!, { columns: true }) as Record<string, string>[];
    expect(items).toHaveLength(c.items.length);
    expect(new Set(items.map((i) => i.item_id))).toEqual(new Set(c.items.map((i) => i.id)));
    const alice = items.find((i) => i.grant_id === c.aliceGrant.id)!;
    expect(alice).toMatchObject({ decision: "certify", decided_by_id: c.reviewer.id, comment: "On call", seconds_spent: "42", bulk: "false", privileged: "true" });
    expect(alice.decided_at).toBe("2026-06-01T09:00:00.000Z");
    const bob = items.find((i) => i.grant_id === c.bobGrant.id)!;
    expect(bob).toMatchObject({ decision: "revoke", comment: "Moved teams", revocation_status: "requested" });

    const json = JSON.parse(entries.get("data/items.json")!.toString()) as Record<string, unknown>[];
    expect(json).toHaveLength(c.items.length);
    expect(json.find((i) => i.grant_id === c.aliceGrant.id)).toMatchObject({ seconds_spent: 42, bulk: false, privileged: true, stage: 1 });
    const approvals = parse(entries.get("data/approvals.csv")!, { columns: true }) as Record<string, string>[];
    expect(approvals.map((a) => a.step_position)).toEqual(["1", "2"]);
    const sessions = parse(entries.get("data/sessions.csv")!, { columns: true }) as Record<string, string>[];
    expect(sessions.map((s) => [s.target, s.shown_to_reviewer])).toEqual([["db-1", "true"]]);
    const receipts = JSON.parse(entries.get("data/revocation_receipts.json")!.toString()) as Record<string, unknown>[];
    expect(receipts).toMatchObject([{ outcome: "applied", request: { op: "remove" }, response: { status: 204 } }]);
    const snapshots = JSON.parse(entries.get("data/evidence_snapshots.json")!.toString()) as { evidence: { identity: { name: string } } }[];
    expect(snapshots.every((s) => typeof s.evidence.identity.name === "string")).toBe(true);

    const completeness = JSON.parse(entries.get("completeness.json")!.toString());
    expect(completeness.campaigns).toMatchObject([{ grantsInScopeAtLaunch: 3, items: 3, decided: 2, undecided: 1, ok: true }]);
    const summary = entries.get("summary.html")!.toString();
    expect(summary).toContain("Q2 &lt;review&gt;");
    expect(summary).toContain("CC6.3");
    expect(summary).toContain("A.8.2");
    const manifest = JSON.parse(entries.get("manifest.json")!.toString());
    expect(manifest.files.find((f: { path: string }) => f.path === "data/items.csv").rows).toBe(3);
  });

  it("is itself audited: who exported what, when, and the SHA-256 of what was sent", async () => {
    const c = await decidedCampaign();
    const { exportId, file, opened } = await download(c.auditor, { scope: "campaign", campaignId: c.campaignId, format: "csv", table: "items" }, "items.csv");
    expect(opened.filename).toMatch(/^accord-items-campaign-[0-9a-f]{8}-\d{8}-\d{4}\.csv$/);
    const rows = parse(await readFile(file), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    const trail = await testDb.select().from(auditEvents).where(eq(auditEvents.entityId, exportId)).orderBy(asc(auditEvents.id));
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([
      ["evidence.exported", c.auditor.id],
      ["evidence.export_completed", c.auditor.id],
    ]);
    expect(trail[0]!.after).toMatchObject({ scope: { kind: "campaign", campaignId: c.campaignId }, format: "csv", table: "items" });
    const [record] = await testDb.select().from(evidenceExports).where(eq(evidenceExports.id, exportId));
    expect(record).toMatchObject({ status: "completed", rowsWritten: 3, rowsExpected: 3 });
    expect(trail[1]!.after).toMatchObject({ sha256: record!.sha256, rows: 3 });
  });

  it("exports a period: the items launched in it", async () => {
    const c = await decidedCampaign();
    const { file } = await download(c.admin, { scope: "period", from: "2026-06-01", to: "2026-06-01", format: "json", table: "items" }, "period.json");
    const rows = JSON.parse(await readFile(file, "utf8")) as { campaign_id: string }[];
    expect(rows.filter((r) => r.campaign_id === c.campaignId)).toHaveLength(3);
    const { file: none } = await download(c.admin, { scope: "period", from: "2026-05-01", to: "2026-05-31", format: "json", table: "items" }, "none.json");
    expect(JSON.parse(await readFile(none, "utf8"))).toEqual([]);
  });

  it("lets only auditors and admins export, only the requester download, and only once", async () => {
    const c = await decidedCampaign();
    await expect(startExport(deps, c.reviewer, exportRequestSchema.parse({ scope: "campaign", campaignId: c.campaignId }))).rejects.toBeInstanceOf(Forbidden);
    const { exportId } = await startExport(deps, c.auditor, exportRequestSchema.parse({ scope: "campaign", campaignId: c.campaignId, format: "csv", table: "decisions" }));
    await expect(openExport(deps, c.admin, { exportId })).rejects.toBeInstanceOf(NotFound);
    await expect(openExport(deps, c.reviewer, { exportId })).rejects.toBeInstanceOf(NotFound);
    const opened = await openExport(deps, c.auditor, { exportId });
    opened.body.resume();
    expect(await opened.done).toBe("completed");
    await expect(openExport(deps, c.auditor, { exportId })).rejects.toBeInstanceOf(Conflict);
    expect(exportRequestSchema.safeParse({ scope: "period", from: "2026-06-02", to: "2026-06-01" }).success).toBe(false);
  });

  it("records an interrupted download as failed", async () => {
    const c = await decidedCampaign();
    const { exportId } = await startExport(deps, c.auditor, exportRequestSchema.parse({ scope: "campaign", campaignId: c.campaignId }));
    const opened = await openExport(deps, c.auditor, { exportId });
    opened.body.destroy();
    expect(await opened.done).toBe("failed");
    const [record] = await testDb.select().from(evidenceExports).where(eq(evidenceExports.id, exportId));
    expect(record).toMatchObject({ status: "failed", error: "The download was interrupted." });
  });

  it("fails verification when a file in the bundle is changed or the key is not Accord's", async () => {
    const c = await decidedCampaign();
    const { file } = await download(c.auditor, { scope: "campaign", campaignId: c.campaignId }, "to-tamper.zip");
    const entries = await zipEntries(file);
    entries.set("data/items.csv", Buffer.from(entries.get("data/items.csv")!.toString().replace("certify", "revoke")));
    const tampered = path.join(dir, "tampered.zip");
    await rezip(entries, tampered);
    expect(failed(await verifyBundle(tampered))).toEqual(["file data/items.csv", "file hashes"]);

    const stranger = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(failed(await verifyBundle(file, { publicKey: stranger }))).toEqual(["manifest signature", "checkpoint signature"]);
  });

  it("verifies from the command line with no database to reach", async () => {
    const c = await decidedCampaign();
    const { file } = await download(c.auditor, { scope: "campaign", campaignId: c.campaignId }, "cli.zip");
    const entries = await zipEntries(file);
    const key = path.join(dir, "accord.pem");
    await writeFile(key, entries.get("public-key.pem")!);
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/accord.ts", "verify-bundle", file, "--public-key", key], {
      env: { ...process.env, DATABASE_URL: "postgres://nobody@127.0.0.1:9/none", TEST_DATABASE_URL: "" },
    });
    expect(stdout).toMatch(/Bundle verified: \d+ checks passed/);
    expect(stdout).not.toMatch(/^note/m);
  });

  it("publishes a scheduled checkpoint only when the trail moved", async () => {
    const first = await publishCheckpoint(deps, "schedule");
    const again = await publishCheckpoint(deps, "schedule");
    expect(again.published).toBe(false);
    expect(again.row.id).toBe(first.row.id);
    expect(checkpointDocument(first.row)).toMatchObject({ format: "accord-audit-checkpoint/v1", headId: first.row.headId });
  });
});

// These rewrite the trail (as only a superuser with the triggers disabled could), so they run last.
describe("a rewritten audit trail", () => {
  async function rewrite(fromId: number, change: (row: typeof auditEvents.$inferSelect) => Partial<AuditContent>, recompute: boolean) {
    const rows = await testDb.select().from(auditEvents).where(gte(auditEvents.id, fromId)).orderBy(asc(auditEvents.id));
    await testDb.execute(sql`alter table audit_events disable trigger user`);
    try {
      let prevHash = rows[0]!.prevHash;
      for (const [index, row] of rows.entries()) {
        const content = { ...row, ...(index === 0 ? change(row) : {}) };
        const hash = recompute ? auditHash(prevHash, content as AuditContent) : row.hash;
        await testDb
          .update(auditEvents)
          .set({ ...(index === 0 ? change(row) : {}), prevHash: recompute ? prevHash : row.prevHash, hash })
          .where(eq(auditEvents.id, row.id));
        prevHash = hash;
        if (!recompute) break;
      }
    } finally {
      await testDb.execute(sql`alter table audit_events enable trigger user`);
    }
  }

  it("a tampered audit row makes bundle verification fail at that row", async () => {
    const c = await decidedCampaign();
    const [decided] = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "review.decided"), eq(auditEvents.reason, "Moved teams")))
      .orderBy(asc(auditEvents.id))
      .limit(1);
    await rewrite(decided!.id, () => ({ reason: "Approved by the CISO" }), false);
    const { file } = await download(c.auditor, { scope: "campaign", campaignId: c.campaignId }, "tampered-trail.zip");
    const report = await verifyBundle(file);
    expect(failed(report)).toEqual(["audit hash chain", "chain ends at the checkpoint"]);
    expect(report.checks.find((x) => x.name === "audit hash chain")!.detail).toBe(`broken at event ${decided!.id}: hash mismatch`);
    const summary = (await zipEntries(file)).get("summary.html")!.toString();
    expect(summary).toContain(`BROKEN at event ${decided!.id}`);
    await rewrite(decided!.id, () => ({ reason: "Moved teams" }), false);
  });

  it("a trail rewritten with recomputed hashes passes on its own but fails against a checkpoint kept earlier", async () => {
    const c = await decidedCampaign();
    const earlierRow = (await publishCheckpoint(deps, "manual")).row;
    const earlier = checkpointDocument(earlierRow);
    const [target] = await testDb.select().from(auditEvents).where(eq(auditEvents.entityId, c.campaignId)).orderBy(asc(auditEvents.id)).limit(1);
    await rewrite(target!.id, () => ({ actorLabel: "someone-else@example.test" }), true);
    const { file } = await download(c.auditor, { scope: "campaign", campaignId: c.campaignId, sinceCheckpointId: earlierRow.id }, "rewritten.zip");
    expect(failed(await verifyBundle(file))).toEqual([]);
    const report = await verifyBundle(file, { earlierCheckpoint: JSON.stringify(earlier) });
    expect(failed(report)).toEqual(["trail extends the earlier checkpoint"]);
    expect(report.checks.find((x) => x.name === "trail extends the earlier checkpoint")!.detail).toMatch(/the trail was rewritten/);
  });
});
