import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { setEnv } from "@/lib/env";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson, makeRequest } from "@/lib/testing/factories";
import { rejectionMessages } from "@/lib/testing/errors";
import { testDatabaseUrl, testDb, testDeps } from "@/lib/testing/test-db";
import type { Deps } from "@/lib/domain/deps";
import { decideApprovalStep } from "@/lib/domain/approvals/decide-step";
import { setEntitlementPrivileged } from "@/lib/domain/entitlements/set-privileged";
import { setPlatformRole } from "@/lib/domain/identities/assign-role";
import { setIdentityStatus } from "@/lib/domain/identities/set-status";
import { createApiToken, revokeApiToken } from "@/lib/domain/tokens/api-tokens";
import { createSubscription, deactivateWebhook } from "@/lib/domain/webhooks/subscriptions";
import { acceptFinding, revokeFromFinding } from "@/lib/domain/findings/act-on-finding";
import { recomputeFindings } from "@/lib/domain/findings/recompute";

/**
 * SECURITY.md promise 4: for every mutation, an audit insert that fails takes the change with
 * it. Each scenario runs its mutation on a connection whose audit trigger is armed, then checks
 * that no business table changed (a fingerprint of every table but the job queue's).
 */
const TABLES = ["identities", "identity_roles", "lifecycle_events", "entitlements", "access_requests", "approval_steps", "grants", "auth_sessions", "api_tokens", "webhook_subscriptions", "webhook_deliveries", "findings", "revocations", "audit_events"];

async function fingerprint(): Promise<string> {
  const parts = await Promise.all(TABLES.map(async (t) => (await testDb.execute<{ h: string }>(sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${t} t`)))[0]!.h));
  return parts.join(",");
}

type Scenario = [name: string, prepare: () => Promise<(deps: Deps) => Promise<unknown>>];

const admin = async () => actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);

const scenarios: Scenario[] = [
  ["identity status", async () => { const a = await admin(); const t = await makePerson(testDb); return (d) => setIdentityStatus(d, a, { identityId: t.id, status: "leaver", reason: "left" }); }],
  ["platform role", async () => { const a = await admin(); const t = await makePerson(testDb); return (d) => setPlatformRole(d, a, { identityId: t.id, role: "auditor", assigned: true }); }],
  ["entitlement privileged flag", async () => { const a = await admin(); const app = await makeApplication(testDb); const e = await makeEntitlement(testDb, { applicationId: app.id }); return (d) => setEntitlementPrivileged(d, a, { entitlementId: e.id, privileged: true }); }],
  ["approval step", async () => {
    const m = await makePerson(testDb); const r = await makePerson(testDb, { managerId: m.id }); const app = await makeApplication(testDb); const e = await makeEntitlement(testDb, { applicationId: app.id });
    const { steps } = await makeRequest(testDb, { requesterId: r.id, entitlementId: e.id, approverIds: [m.id] }); const actor = await actorFor(testDb, m.id);
    return (d) => decideApprovalStep(d, actor, { stepId: steps[0]!.id, decision: "approve" });
  }],
  ["API token created", async () => { const a = await admin(); return (d) => createApiToken(d, a, { name: "fail-closed", scopes: ["admin"] }); }],
  ["API token revoked", async () => { const a = await admin(); const { id } = await createApiToken(testDeps(), a, { name: "to revoke", scopes: ["admin"] }); return (d) => revokeApiToken(d, a, { tokenId: id }); }],
  ["webhook subscribed", async () => { const a = await admin(); return (d) => createSubscription(d, a, { name: "fc", url: "http://127.0.0.1:9/x", events: ["finding.opened"] }); }],
  ["webhook deactivated", async () => { const a = await admin(); const { id } = await createSubscription(testDeps(), a, { name: "fc2", url: "http://127.0.0.1:9/x", events: ["finding.opened"] }); return (d) => deactivateWebhook(d, a, { subscriptionId: id }); }],
  ["findings recomputed", async () => { const a = await admin(); await makeNonHuman(testDb, { ownerId: null }); return (d) => recomputeFindings(d, a); }],
  ["finding accepted", async () => {
    const a = await admin(); await makeNonHuman(testDb, { ownerId: null }); await recomputeFindings(testDeps(), "system");
    const [f] = await testDb.execute<{ id: string }>(sql`select id from findings where status = 'open' limit 1`);
    return (d) => acceptFinding(d, a, { findingId: f!.id, until: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10), reason: "Decommissioning next week" });
  }],
  ["revocation from a finding", async () => {
    const a = await admin(); const holder = await makePerson(testDb); const app = await makeApplication(testDb); const e = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
    const g = await makeGrant(testDb, { identityId: holder.id, entitlementId: e.id, grantedAt: new Date(Date.now() - 400 * 86_400_000) });
    await recomputeFindings(testDeps(), "system");
    const [f] = await testDb.execute<{ id: string }>(sql`select id from findings where grant_id = ${g.id}`);
    return (d) => revokeFromFinding(d, a, { findingId: f!.id, grantId: g.id });
  }],
];

describe("no audit row, no effect", () => {
  it.each(scenarios)("%s: refused whole when the audit insert fails", async (_name, prepare) => {
    setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
    const mutate = await prepare();
    const before = await fingerprint();
    const armed = connect(testDatabaseUrl, { max: 1 });
    await armed.db.execute(sql`set accord.fail_audit = 'on'`);
    try {
      expect(await rejectionMessages(mutate({ ...testDeps(), db: armed.db }))).toMatch(/audit insert failed/);
    } finally {
      await armed.close();
      setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
    }
    expect(await fingerprint()).toBe(before);
  });

  it("keeps secrets out of the audit trail", async () => {
    const a = await admin();
    setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
    const { secret } = await createApiToken(testDeps(), a, { name: "secret scan", scopes: ["admin"] });
    const hook = await createSubscription(testDeps(), a, { name: "secret scan", url: "http://127.0.0.1:9/x", events: ["finding.opened"] });
    setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
    for (const value of [secret, hook.secret]) {
      const hits = await testDb.execute(sql`select id from audit_events where before::text like ${`%${value}%`} or after::text like ${`%${value}%`} or coalesce(reason, '') like ${`%${value}%`}`);
      expect(hits).toHaveLength(0);
    }
  });
});
