import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { sealSecret } from "@/lib/crypto/secret-box";
import { setEnv } from "@/lib/env";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { requestRevocation } from "@/lib/domain/revocations/request-revocation";
import { JobQueue } from "@/lib/jobs/queue";
import { workRevocations } from "@/lib/jobs/revocation-worker";
import { startScimServer } from "@/lib/testing/scim-server";
import { createDatabase, dropDatabase } from "@/lib/testing/server";

import type { Section } from "./context";
import type { Figure } from "./figures";

const SCRATCH = "accord_bench_revocations";
const TOKEN = "bench-scim-token";

/**
 * Revocations (issue 7) dispatched and verified per second against the loopback SCIM 2.0
 * server, on a scratch database beside the data set: N grants on 20 SCIM groups, revoked in one
 * transaction, then worked by the pg-boss workers (PATCH remove member, GET the group back),
 * with one worker and with four.
 */
export const revocationsSection: Section = (ctx) => benchRevocations(ctx.adminUrl, { count: ctx.scale === "small" ? 200 : 1_000, concurrency: [1, 4] });

async function benchRevocations(serverUrl: string, options: { count: number; concurrency: number[] }): Promise<Figure[]> {
  const figures: Figure[] = [];
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
  const scim = await startScimServer({ token: TOKEN });
  const url = await createDatabase(serverUrl, SCRATCH);
  await migrateDatabase(url);
  const { db, close } = connect(url, { max: 12 });
  try {
    for (const concurrency of options.concurrency) {
      const jobs = new JobQueue(url);
      const deps: Deps = { db, now: () => new Date(), jobs };
      const groups = Array.from({ length: 20 }, (_, g) => scim.addGroup(`bench-group-${concurrency}-${g}`));
      const [app] = await db.execute<{ id: string }>(sql`
        insert into applications (source, name, connector_kind, connector_config, connector_secret)
        values ('bench', ${`Bench SCIM target ${concurrency}`}, 'scim', ${JSON.stringify({ baseUrl: scim.baseUrl, action: "remove_from_group" })}::jsonb, ${sealSecret(TOKEN)})
        returning id`);
      const entitlementIds: string[] = [];
      for (const [g, group] of groups.entries()) {
        const [e] = await db.execute<{ id: string }>(
          sql`insert into entitlements (application_id, name, external_id, privileged) values (${app!.id}, ${`bench-role-${g}`}, ${group.id}, true) returning id`,
        );
        entitlementIds.push(e!.id);
      }
      const grantIds: string[] = [];
      for (let i = 0; i < options.count; i++) {
        const email = `bench${concurrency}-${i}@bench.example`;
        const user = scim.addUser(email);
        const group = groups[i % groups.length]!;
        group.members.push({ value: user.id });
        const [identity] = await db.execute<{ id: string }>(
          sql`insert into identities (source, kind, type, display_name, email) values ('bench', 'human', 'employee', ${`Bench ${i}`}, ${email}) returning id`,
        );
        const [account] = await db.execute<{ id: string }>(
          sql`insert into accounts (application_id, identity_id, username, external_id) values (${app!.id}, ${identity!.id}, ${email}, ${user.id}) returning id`,
        );
        const [grant] = await db.execute<{ id: string }>(sql`
          insert into grants (identity_id, entitlement_id, account_id, kind, source, granted_at, live_state)
          values (${identity!.id}, ${entitlementIds[i % entitlementIds.length]!}, ${account!.id}, 'standing', 'import', now(), 'present') returning id`);
        grantIds.push(grant!.id);
      }

      const ids: string[] = [];
      const requested = performance.now();
      await db.transaction(async (tx) => {
        for (const grantId of grantIds) ids.push((await requestRevocation(deps, tx, { grantId, cause: "admin", causeRef: `bench-${concurrency}`, actor: SYSTEM_ACTOR })).revocationId);
      });
      const requestSeconds = (performance.now() - requested) / 1000;

      const started = performance.now();
      await workRevocations(deps, { concurrency });
      for (;;) {
        const [row] = await db.execute<{ open: number; failed: number }>(sql`
          select count(*) filter (where status not in ('verified', 'failed'))::int as open, count(*) filter (where status = 'failed')::int as failed
          from revocations where id = any(${`{${ids.join(",")}}`}::uuid[])`);
        if (row!.open === 0) {
          const seconds = (performance.now() - started) / 1000;
          const [lat] = await db.execute<{ p50: number; p95: number }>(sql`
            select percentile_cont(0.5) within group (order by extract(epoch from verified_at - dispatched_at) * 1000) as p50,
                   percentile_cont(0.95) within group (order by extract(epoch from verified_at - dispatched_at) * 1000) as p95
            from revocations where id = any(${`{${ids.join(",")}}`}::uuid[]) and status = 'verified'`);
          const left = groups.reduce((n, g) => n + (scim.store.groups.get(g.id)?.members.length ?? 0), 0);
          figures.push({
            id: `revocations_${concurrency}`,
            label: `${options.count.toLocaleString("en")} revocations to SCIM verified, ${concurrency} worker${concurrency === 1 ? "" : "s"}`,
            unit: "rows/s",
            value: options.count / seconds,
            samples: [options.count / seconds],
            errors: row!.failed + left,
            note: `dispatch→verified p50 ${Number(lat!.p50).toFixed(0)} ms, p95 ${Number(lat!.p95).toFixed(0)} ms; requested in ${requestSeconds.toFixed(1)} s; ${row!.failed} failed, ${left} members left in the target`,
          });
          break;
        }
        if (performance.now() - started > 600_000) throw new Error(`revocations still open after 10 minutes: ${row!.open}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await jobs.stop();
    }
  } finally {
    await close();
    await scim.close();
    await dropDatabase(serverUrl, SCRATCH);
  }
  return figures;
}
