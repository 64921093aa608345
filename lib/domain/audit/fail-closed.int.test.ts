import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { setEnv } from "@/lib/env";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson, makeRequest } from "@/lib/testing/factories";
import { rejectionMessages } from "@/lib/testing/errors";
import { testDatabaseUrl, testDb, testDeps } from "@/lib/testing/test-db";
import { ingestEvents } from "@/lib/domain/ingest/ingest";
import type { Deps } from "@/lib/domain/deps";
import { decideApprovalStep } from "@/lib/domain/approvals/decide-step";
import { setEntitlementPrivileged } from "@/lib/domain/entitlements/set-privileged";
import { setPlatformRole } from "@/lib/domain/identities/assign-role";
import { setIdentityStatus } from "@/lib/domain/identities/set-status";
import { createApiToken, revokeApiToken } from "@/lib/domain/tokens/api-tokens";
import { createSubscription, deactivateWebhook } from "@/lib/domain/webhooks/subscriptions";
import { acceptFinding, revokeFromFinding } from "@/lib/domain/findings/act-on-finding";
import { recomputeFindings } from "@/lib/domain/findings/recompute";
import { exportRequestSchema, startExport } from "@/lib/domain/evidence-export/start-export";
import { cancelAccessRequest } from "@/lib/domain/approvals/cancel-request";
import { expireDueRequests } from "@/lib/domain/approvals/expire-requests";
import { submitAccessRequest, submitRequestInput } from "@/lib/domain/approvals/submit-request";
import { setEntitlementPolicy, setPolicyInput } from "@/lib/domain/entitlements/set-policy";
import { activateGrant, activateInput } from "@/lib/domain/jit/activate";
import { deactivateActivation } from "@/lib/domain/jit/deactivate";
import { expireDueActivations, expireDueGrants } from "@/lib/domain/jit/expire";
import { revocations as revocationRows } from "@/db/schema";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { advanceRevocation } from "@/lib/domain/revocations/advance";
import { receiveRevocationCallback } from "@/lib/domain/revocations/callback";
import { callbackToken } from "@/lib/domain/revocations/callback-token";
import { configureConnector } from "@/lib/domain/revocations/configure-connector";
import { attestRevocation, retryRevocation } from "@/lib/domain/revocations/manage";
import { reduceGrant } from "@/lib/domain/revocations/reduce-grant";
import { requestRevocation } from "@/lib/domain/revocations/request-revocation";
import { settleStalledRevocation } from "@/lib/domain/revocations/sweep";
import { claimForApply, cliPrincipal, createImportBatch } from "@/lib/domain/import/batches";
import { sweepStuckImports } from "@/lib/domain/import/sweep";
import { revocationScenario, revoke } from "@/lib/testing/revocation-scenario";

/**
 * SECURITY.md promise 4: for every mutation, an audit insert that fails takes the change with
 * it. Each scenario runs its mutation on a connection whose audit trigger is armed, then checks
 * that no business table changed (a fingerprint of every table but the job queue's).
 */
const TABLES = [
  "applications",
  "identities",
  "identity_roles",
  "lifecycle_events",
  "entitlements",
  "access_requests",
  "approval_steps",
  "grants",
  "auth_sessions",
  "api_tokens",
  "webhook_subscriptions",
  "webhook_deliveries",
  "findings",
  "revocations",
  "activations",
  "notifications",
  "review_items",
  "usage_events",
  "privileged_sessions",
  "accounts",
  "audit_events",
  "evidence_exports",
  "audit_checkpoints",
  "revocation_attempts",
  "import_batches",
];

async function fingerprint(): Promise<string> {
  const parts = await Promise.all(
    TABLES.map(async (t) => (await testDb.execute<{ h: string }>(sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${t} t`)))[0]!.h),
  );
  return parts.join(",");
}

type Scenario = [name: string, prepare: () => Promise<(deps: Deps) => Promise<unknown>>];

const admin = async () => actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);

/** A requester with a manager, an owned application and a JIT entitlement; `held` gives the requester an eligible grant of it. */
async function jitSetting(policy: { breakGlass?: boolean } = {}, held = true) {
  const m = await makePerson(testDb);
  const r = await makePerson(testDb, { managerId: m.id });
  const o = await makePerson(testDb);
  const app = await makeApplication(testDb, { ownerIds: [o.id] });
  const e = await makeEntitlement(testDb, { applicationId: app.id, privileged: true, ownerId: o.id, allowedKinds: ["eligible"], ...policy });
  const g = held ? await makeGrant(testDb, { identityId: r.id, entitlementId: e.id, kind: "eligible" }) : null;
  return { m, r, o, e, g: g!, actor: await actorFor(testDb, r.id) };
}
const FAR = new Date("2099-01-01T00:00:00Z");
const askFor = (entitlementId: string, beneficiaryId: string) => submitRequestInput.parse({ entitlementId, beneficiaryId, kind: "eligible", justification: "Needed for the on-call rotation" });

async function* ndjson(...lines: object[]) {
  for (const line of lines) yield new TextEncoder().encode(`${JSON.stringify(line)}\n`);
}

const scenarios: Scenario[] = [
  [
    "evidence ingest",
    async () => {
      const app = await makeApplication(testDb);
      const p = await makePerson(testDb);
      await testDb.execute(sql`insert into accounts (application_id, identity_id, username) values (${app.id}, ${p.id}, 'fc-user')`);
      return (d) =>
        ingestEvents(
          d,
          { kind: "system", id: null, label: "fail-closed" },
          { format: "generic", source: "fail-closed", applicationId: app.id },
          ndjson(
            { id: "fc-1", time: "2024-01-01T00:00:00Z", user: "fc-user", session: { id: "fc-s", phase: "start" } },
            { id: "fc-2", time: "2024-01-01T00:01:00Z", user: "fc-user", kind: "sign_in" },
          ),
        );
    },
  ],
  [
    "identity status",
    async () => {
      const a = await admin();
      const t = await makePerson(testDb);
      return (d) => setIdentityStatus(d, a, { identityId: t.id, status: "leaver", reason: "left" });
    },
  ],
  [
    "platform role",
    async () => {
      const a = await admin();
      const t = await makePerson(testDb);
      return (d) => setPlatformRole(d, a, { identityId: t.id, role: "auditor", assigned: true });
    },
  ],
  [
    "entitlement privileged flag",
    async () => {
      const a = await admin();
      const app = await makeApplication(testDb);
      const e = await makeEntitlement(testDb, { applicationId: app.id });
      return (d) => setEntitlementPrivileged(d, a, { entitlementId: e.id, privileged: true });
    },
  ],
  [
    "approval step",
    async () => {
      const m = await makePerson(testDb);
      const r = await makePerson(testDb, { managerId: m.id });
      const app = await makeApplication(testDb);
      const e = await makeEntitlement(testDb, { applicationId: app.id });
      const { steps } = await makeRequest(testDb, { requesterId: r.id, entitlementId: e.id, approverIds: [m.id] });
      const actor = await actorFor(testDb, m.id);
      return (d) => decideApprovalStep(d, actor, { stepId: steps[0]!.id, decision: "approve" });
    },
  ],
  [
    "API token created",
    async () => {
      const a = await admin();
      return (d) => createApiToken(d, a, { name: "fail-closed", scopes: ["admin"] });
    },
  ],
  [
    "API token revoked",
    async () => {
      const a = await admin();
      const { id } = await createApiToken(testDeps(), a, { name: "to revoke", scopes: ["admin"] });
      return (d) => revokeApiToken(d, a, { tokenId: id });
    },
  ],
  [
    "access request submitted",
    async () => {
      const s = await jitSetting({}, false);
      return (d) => submitAccessRequest(d, s.actor, askFor(s.e.id, s.r.id));
    },
  ],
  [
    "access request withdrawn",
    async () => {
      const s = await jitSetting({}, false);
      const { requestId } = await submitAccessRequest(testDeps(), s.actor, askFor(s.e.id, s.r.id));
      return (d) => cancelAccessRequest(d, s.actor, { requestId });
    },
  ],
  [
    "access requests expired",
    async () => {
      const s = await jitSetting({}, false);
      await submitAccessRequest(testDeps(), s.actor, askFor(s.e.id, s.r.id));
      return (d) => expireDueRequests({ ...d, now: () => FAR });
    },
  ],
  [
    "entitlement policy",
    async () => {
      const s = await jitSetting();
      const o = await actorFor(testDb, s.o.id);
      return (d) => setEntitlementPolicy(d, o, setPolicyInput.parse({ entitlementId: s.e.id, kindTimeBound: "on", chainManager: "on", maxDurationHours: "2" }));
    },
  ],
  [
    "JIT activation",
    async () => {
      const s = await jitSetting();
      return (d) => activateGrant(d, s.actor, activateInput.parse({ grantId: s.g.id, durationMinutes: 60, justification: "Apply the hotfix now" }));
    },
  ],
  [
    "break-glass activation",
    async () => {
      const s = await jitSetting({ breakGlass: true });
      return (d) => activateGrant(d, s.actor, activateInput.parse({ grantId: s.g.id, durationMinutes: 30, justification: "SSO is down, failing over", breakGlass: "true", incidentId: "INC-1" }));
    },
  ],
  [
    "activation ended early",
    async () => {
      const s = await jitSetting();
      const { activationId } = await activateGrant(testDeps(), s.actor, activateInput.parse({ grantId: s.g.id, durationMinutes: 60, justification: "Apply the hotfix now" }));
      return (d) => deactivateActivation(d, s.actor, { activationId });
    },
  ],
  [
    "activations expired",
    async () => {
      const s = await jitSetting();
      await activateGrant(testDeps(), s.actor, activateInput.parse({ grantId: s.g.id, durationMinutes: 60, justification: "Apply the hotfix now" }));
      return (d) => expireDueActivations({ ...d, now: () => FAR });
    },
  ],
  [
    "time-bound grants expired",
    async () => {
      const s = await jitSetting();
      await makeGrant(testDb, { identityId: s.m.id, entitlementId: s.e.id, kind: "time_bound", expiresAt: new Date(Date.now() + 60_000) });
      return (d) => expireDueGrants({ ...d, now: () => FAR });
    },
  ],
  [
    "webhook subscribed",
    async () => {
      const a = await admin();
      return (d) => createSubscription(d, a, { name: "fc", url: "http://127.0.0.1:9/x", events: ["finding.opened"] });
    },
  ],
  [
    "webhook deactivated",
    async () => {
      const a = await admin();
      const { id } = await createSubscription(testDeps(), a, { name: "fc2", url: "http://127.0.0.1:9/x", events: ["finding.opened"] });
      return (d) => deactivateWebhook(d, a, { subscriptionId: id });
    },
  ],
  [
    "findings recomputed",
    async () => {
      const a = await admin();
      await makeNonHuman(testDb, { ownerId: null });
      return (d) => recomputeFindings(d, a);
    },
  ],
  [
    "finding accepted",
    async () => {
      const a = await admin();
      await makeNonHuman(testDb, { ownerId: null });
      await recomputeFindings(testDeps(), "system");
      const [f] = await testDb.execute<{ id: string }>(sql`select id from findings where status = 'open' limit 1`);
      return (d) => acceptFinding(d, a, { findingId: f!.id, until: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10), reason: "Decommissioning next week" });
    },
  ],
  [
    "revocation from a finding",
    async () => {
      const a = await admin();
      const holder = await makePerson(testDb);
      const app = await makeApplication(testDb);
      const e = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
      const g = await makeGrant(testDb, { identityId: holder.id, entitlementId: e.id, grantedAt: new Date(Date.now() - 400 * 86_400_000) });
      await recomputeFindings(testDeps(), "system");
      const [f] = await testDb.execute<{ id: string }>(sql`select id from findings where grant_id = ${g.id}`);
      return (d) => revokeFromFinding(d, a, { findingId: f!.id, grantId: g.id });
    },
  ],
  // Revocations: every step of the pipeline that changes state.
  [
    "revocation requested",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "manual" });
      return (d) => d.db.transaction((tx) => requestRevocation(d, tx, { grantId: r.grant.id, cause: "admin", causeRef: "fc", actor: SYSTEM_ACTOR }));
    },
  ],
  [
    "grant reduced",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "manual" });
      return (d) => d.db.transaction((tx) => reduceGrant(d, tx, { grantId: r.grant.id, to: "eligible", causeRef: "fc", actor: SYSTEM_ACTOR }));
    },
  ],
  [
    "connector configured",
    async () => {
      const a = await admin();
      const r = await revocationScenario(testDb, { connectorKind: "manual" });
      return (d) =>
        configureConnector(d, a, {
          applicationId: r.app.id,
          kind: "scim",
          baseUrl: "http://127.0.0.1:9/scim/v2",
          action: "remove_from_group",
          groupMapping: "",
          instructions: "",
          secret: "fail-closed-token",
          slaHours: 12,
        });
    },
  ],
  [
    "manual revocation task",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "manual" });
      const { revocationId } = await revoke(testDeps(), r.grant.id);
      return (d) => advanceRevocation(d, { revocationId, finalAttempt: false });
    },
  ],
  [
    "revocation dispatched",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "scim", config: { baseUrl: "http://127.0.0.1:9/scim/v2", timeoutMs: 200 }, secret: "t0ken-fc", entitlementExternalId: "g1" });
      const { revocationId } = await revoke(testDeps(), r.grant.id);
      return (d) => advanceRevocation(d, { revocationId, finalAttempt: false });
    },
  ],
  [
    "revocation failed",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "scim", secret: "t0ken-fc" });
      const { revocationId } = await revoke(testDeps(), r.grant.id);
      await testDb.update(revocationRows).set({ status: "dispatched", dispatchedAt: new Date() }).where(eq(revocationRows.id, revocationId));
      return (d) => advanceRevocation(d, { revocationId, finalAttempt: false });
    },
  ],
  [
    "revocation retried",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "manual" });
      const { revocationId } = await revoke(testDeps(), r.grant.id);
      await testDb.update(revocationRows).set({ status: "failed", failedAt: new Date(), lastError: "HTTP 500" }).where(eq(revocationRows.id, revocationId));
      const a = await admin();
      return (d) => retryRevocation(d, a, { revocationId });
    },
  ],
  [
    "revocation attested",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "manual" });
      const { revocationId } = await revoke(testDeps(), r.grant.id);
      await testDb.update(revocationRows).set({ status: "dispatched", dispatchedAt: new Date() }).where(eq(revocationRows.id, revocationId));
      const owner = await actorFor(testDb, r.owner.id);
      return (d) => attestRevocation(d, owner, { revocationId, note: "Removed in the console" });
    },
  ],
  [
    "revocation confirmed by callback",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "webhook", config: { url: "http://127.0.0.1:9/hook" }, secret: "whsec_fail_closed" });
      const { revocationId } = await revoke(testDeps(), r.grant.id);
      await testDb.update(revocationRows).set({ status: "applied", dispatchedAt: new Date(), appliedAt: new Date(), connectorKind: "webhook" }).where(eq(revocationRows.id, revocationId));
      return (d) =>
        receiveRevocationCallback(d, {
          revocationId,
          authorization: `Bearer ${callbackToken("whsec_fail_closed", revocationId)}`,
          signature: { id: null, timestamp: null, signature: null },
          body: JSON.stringify({ status: "removed" }),
        });
    },
  ],
  // The stuck-work sweep: each thing it does to a revocation or an import batch.
  ...(["resumed", "failed"] as const).map((outcome): Scenario => [
    `stalled revocation ${outcome}`,
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "scim", config: { baseUrl: "http://127.0.0.1:9/scim/v2" }, secret: "t0ken-fc", entitlementExternalId: "g1" });
      const { revocationId } = await revoke(testDeps(), r.grant.id);
      await testDb
        .update(revocationRows)
        .set({ status: "dispatched", dispatchedAt: new Date(), attempts: outcome === "resumed" ? 0 : 10 })
        .where(eq(revocationRows.id, revocationId));
      await testDb.execute(sql`delete from pgboss.job where data->>'revocationId' = ${revocationId}`);
      return (d) => settleStalledRevocation({ ...d, now: () => FAR }, { revocationId });
    },
  ]),
  [
    "unconfirmed webhook revocation resent",
    async () => {
      const r = await revocationScenario(testDb, { connectorKind: "webhook", config: { url: "http://127.0.0.1:9/hook" }, secret: "whsec_fail_closed" });
      const { revocationId } = await revoke(testDeps(), r.grant.id);
      await testDb.update(revocationRows).set({ status: "applied", dispatchedAt: new Date(), appliedAt: new Date(), attempts: 1, connectorKind: "webhook" }).where(eq(revocationRows.id, revocationId));
      await testDb.execute(sql`delete from pgboss.job where data->>'revocationId' = ${revocationId}`);
      return (d) => settleStalledRevocation({ ...d, now: () => FAR }, { revocationId });
    },
  ],
  [
    "abandoned import failed",
    async () => {
      const batchId = await createImportBatch(testDeps(), cliPrincipal("fc"), { kind: "identities", filename: "fc.csv", content: Buffer.from("email,display_name\nfc@x.example,FC\n") });
      await claimForApply(testDeps(), batchId, "uploaded");
      return (d) => sweepStuckImports({ ...d, now: () => FAR });
    },
  ],
  [
    "evidence export started",
    async () => {
      const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
      return (d) => startExport(d, auditor, exportRequestSchema.parse({ scope: "period", from: "2026-01-01", to: "2026-01-31" }));
    },
  ],
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
