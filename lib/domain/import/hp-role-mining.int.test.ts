import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { entitlements, identities } from "@/db/schema";
import { createCampaign, createCampaignInput } from "@/lib/domain/campaigns/create-campaign";
import { launchCampaign, runLaunch } from "@/lib/domain/campaigns/launch-campaign";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { cliPrincipal, importFile } from "./batches";
import { convertHpRoleMining } from "./hp-role-mining";
import type { ImportKind } from "./kinds";

const SAMPLES = path.resolve(import.meta.dirname, "../../../../shared/samples/role-mining-hp");
const present = existsSync(path.join(SAMPLES, "hc.txt"));
if (!present) console.warn(`HP role-mining conversion tests skipped: ${SAMPLES} is not present (it ships in ../shared/samples).`);

const out = await mkdtemp(path.join(tmpdir(), "accord-hp-"));
afterAll(() => rm(out, { recursive: true, force: true }));

describe.skipIf(!present)("HP role-mining conversion (../shared/samples/role-mining-hp)", () => {
  it.each([
    // From the data set's stats.txt: users, permissions, user-permission pairs.
    ["hc", 46, 46, 1486],
    ["domino", 79, 231, 730],
  ])("converts %s and imports it with the published counts", async (dataset, users, permissions, pairs) => {
    const dir = path.join(out, dataset);
    const converted = await convertHpRoleMining(path.join(SAMPLES, `${dataset}.txt`), dir);
    expect(converted).toMatchObject({ users, permissions, assignments: pairs, duplicates: 0 });

    const deps = testDeps();
    const run = async (kind: ImportKind) => {
      const file = converted.files[kind as keyof typeof converted.files];
      const result = await importFile(deps, cliPrincipal("test"), { kind, filename: path.basename(file), content: await readFile(file) });
      expect(result.outcome.ok ? [] : result.outcome.errors.slice(0, 3)).toEqual([]);
      return result.outcome;
    };
    for (const kind of ["identities", "applications", "entitlements", "grants"] as const) await run(kind);

    expect((await testDb.select({ n: count() }).from(identities).where(eq(identities.source, converted.source)))[0]!.n).toBe(users);
    const [app] = await testDb.execute<{ id: string }>(sql`select id from applications where name = ${converted.application}`);
    expect((await testDb.select({ n: count() }).from(entitlements).where(eq(entitlements.applicationId, app!.id)))[0]!.n).toBe(permissions);
    const [grants] = await testDb.execute<{ n: number }>(sql`
      select count(*)::int as n from grants g join entitlements e on e.id = g.entitlement_id where e.application_id = ${app!.id} and g.source = 'import'`);
    expect(grants!.n).toBe(pairs);

    // The conversion is deterministic and the import idempotent: doing it again changes nothing.
    expect(await run("grants")).toMatchObject({ ok: true, summary: { counts: [{ create: 0, update: 0, unchanged: pairs }] } });

    // A campaign runs on it: one item per assignment, all with the fallback reviewer (the data set names no owners).
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const { campaignId } = await createCampaign(
      deps,
      admin,
      createCampaignInput.parse({ name: `HP ${dataset}`, scope: { applicationIds: [app!.id] }, reviewerRule: "app_owner", fallbackReviewerId: admin.id }),
    );
    await launchCampaign(deps, admin, { campaignId });
    expect(await runLaunch(deps, { campaignId })).toEqual({ items: pairs });
    const [items] = await testDb.execute<{ n: number; reviewers: number; reason: string }>(sql`
      select count(*)::int n, count(distinct reviewer_id)::int reviewers, min(reviewer_reason) reason from review_items where campaign_id = ${campaignId}`);
    expect(items).toEqual({ n: pairs, reviewers: 1, reason: "Fallback reviewer: no application owner" });
  });
});
