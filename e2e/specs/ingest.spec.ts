import { randomUUID } from "node:crypto";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { createApiToken } from "@/lib/domain/tokens/api-tokens";
import { JobQueue } from "@/lib/jobs/queue";
import { makeAccount, makeActivation, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { e2eState } from "../fixtures/state";
import { expect, test } from "../fixtures/test";

test.describe("evidence ingest", () => {
  test("a Teleport session posted with a token appears on the session list and in the grant's evidence, with its duration", async ({ page, request, signIn, person, db }) => {
    const suffix = randomUUID().slice(0, 8);
    // An engineer with JIT root on a bastion, activated for an hour from ten minutes ago.
    const engineer = await makePerson(db, { displayName: `Ingest Engineer ${suffix}` });
    const app = await makeApplication(db, { name: `Bastion ${suffix}` });
    const root = await makeEntitlement(db, { applicationId: app.id, name: "root", privileged: true });
    await makeAccount(db, { applicationId: app.id, identityId: engineer.id, username: `eng-${suffix}` });
    const now = Date.now();
    const grant = await makeGrant(db, { identityId: engineer.id, entitlementId: root.id, kind: "eligible", grantedAt: new Date(now - 86_400_000) });
    await makeActivation(db, {
      grantId: grant.id,
      identityId: engineer.id,
      status: "active",
      startsAt: new Date(now - 10 * 60_000),
      endsAt: new Date(now + 50 * 60_000),
      justification: "Rotate the TLS certificates",
    });

    const alex = await person("admin");
    const admin = (await loadActiveActorByEmail(db, alex.email))!;
    const deps = { db, now: () => new Date(), jobs: new JobQueue(e2eState().databaseUrl) };
    const token = await createApiToken(deps, admin, { name: `Teleport ${suffix}`, scopes: ["events:write"], source: `teleport-${suffix}` });

    // The end arrives first, in its own request; the start follows. 200 seconds apart.
    const sid = randomUUID();
    const start = new Date(now - 5 * 60_000);
    const stop = new Date(start.getTime() + 200_000);
    const common = { sid, user: `eng-${suffix}`, login: "root", server_hostname: `bastion-${suffix}`, cluster_name: "e2e" };
    const post = (events: object[]) =>
      request.post(`/api/v1/events?format=teleport&application=${encodeURIComponent(app.name)}`, {
        headers: { authorization: `Bearer ${token.secret}`, "content-type": "application/x-ndjson" },
        data: events.map((e) => JSON.stringify(e)).join("\n"),
      });
    const end = await post([
      {
        ...common,
        event: "session.end",
        code: "T2004I",
        uid: randomUUID(),
        time: stop.toISOString(),
        session_start: start.toISOString(),
        session_stop: stop.toISOString(),
        participants: [`eng-${suffix}`],
      },
    ]);
    expect(end.status()).toBe(200);
    expect(await end.json()).toMatchObject({ accepted: 1, rejected: 0, withoutApproval: 0 });
    const begin = await post([
      { ...common, event: "session.start", code: "T2000I", uid: randomUUID(), time: start.toISOString() },
      { event: "print", sid, ei: 2, time: start.toISOString() },
    ]);
    expect(await begin.json()).toMatchObject({ accepted: 1, ignored: 1, duplicate: 0 });

    await signIn.signInWithIdentityProvider(alex.email);
    await expect(page.getByRole("heading", { name: `Hello, ${alex.displayName}` })).toBeVisible();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
    await page.getByLabel("Application").fill(app.name);
    await page.getByLabel("Privileged").selectOption("1");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const row = page.getByRole("row", { name: new RegExp(engineer.displayName) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("3 min");
    await expect(row).toContainText(`bastion-${suffix} as root`);
    await expect(row).toContainText("Within activation");

    await row.getByRole("link").first().click();
    await expect(page.getByRole("heading", { name: `Session of ${engineer.displayName} on bastion-${suffix}` })).toBeVisible();
    await expect(page.getByText("3 min (200 s)")).toBeVisible();
    await expect(page.getByText("Rotate the TLS certificates")).toBeVisible();
    await expect(page.getByText(`teleport-${suffix} · session ${sid}`)).toBeVisible();

    await page.getByRole("link", { name: `root held by ${engineer.displayName}` }).click();
    await expect(page.getByRole("heading", { name: `root in ${app.name}` })).toBeVisible();
    const evidence = page.getByRole("table", { name: "Privileged sessions on this grant" });
    await expect(evidence.getByRole("row").nth(1)).toContainText("3 min");
    await expect(evidence.getByRole("row").nth(1)).toContainText(sid);
    await expect(page.getByText("1 recorded session")).toBeVisible();
  });

  test("someone else cannot see the session, and a session used outside any window says so", async ({ page, request, signIn, person, db }) => {
    const suffix = randomUUID().slice(0, 8);
    const stranger = await makePerson(db, { displayName: `Ingest Stranger ${suffix}` });
    const app = await makeApplication(db, { name: `Jump host ${suffix}` });
    await makeAccount(db, { applicationId: app.id, identityId: stranger.id, username: `str-${suffix}` });
    const alex = await person("admin");
    const admin = (await loadActiveActorByEmail(db, alex.email))!;
    const deps = { db, now: () => new Date(), jobs: new JobQueue(e2eState().databaseUrl) };
    const token = await createApiToken(deps, admin, { name: `Generic ${suffix}`, scopes: ["events:write"] });
    const response = await request.post(`/api/v1/events?format=generic&application=${app.id}`, {
      headers: { authorization: `Bearer ${token.secret}` },
      data: JSON.stringify({ id: `g-${suffix}`, time: new Date().toISOString(), user: `str-${suffix}`, target: `jump-${suffix}`, session: { id: `s-${suffix}`, phase: "start" } }),
    });
    expect(await response.json()).toMatchObject({ accepted: 1, withoutApproval: 1 });

    const erin = await person("employee");
    await signIn.signInWithIdentityProvider(erin.email);
    await expect(page.getByRole("heading", { name: `Hello, ${erin.displayName}` })).toBeVisible();
    await page.goto(`/sessions?application=${encodeURIComponent(app.name)}`);
    await expect(page.getByText("No session matches these filters.")).toBeVisible();

    await page.context().clearCookies();
    await signIn.signInWithIdentityProvider(alex.email);
    await page.goto(`/sessions?withoutApproval=1&application=${encodeURIComponent(app.name)}`);
    const row = page.getByRole("row", { name: new RegExp(stranger.displayName) });
    await expect(row).toContainText("Used without approval");
    await expect(row).toContainText("Still open");
    await row.getByRole("link").first().click();
    await expect(page.getByRole("note")).toContainText(`No approved grant in ${app.name}, and no activation window, covered ${stranger.displayName}`);
  });
});
