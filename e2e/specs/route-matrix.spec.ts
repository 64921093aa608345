import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { campaigns, findings } from "@/db/schema";
import { makeApplication, makeEntitlement, makeGrant, makePerson, makeRequest, makeSession } from "@/lib/testing/factories";
import { SignInPage } from "../pages/sign-in-page";
import { IGNORED_ROUTES, ROUTE_POLICY, SIGNED_IN_MARKER, type Ids, type Outcome, type Role, type RouteRule } from "../fixtures/route-policy";
import { expect, test } from "../fixtures/test";

// Headers that have bypassed Next.js middleware or fooled apps into trusting a caller.
const FORGED: Record<string, string>[] = [
  {},
  { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
  { "x-user-id": "00000000-0000-0000-0000-000000000000", "x-forwarded-host": "evil.example", "x-forwarded-for": "127.0.0.1" },
  { RSC: "1" },
];
// A router prefetch gets a partial payload that need not run the page; it must not leak data.
const PREFETCH = { RSC: "1", "Next-Router-Prefetch": "1" };

/**
 * React Server Component requests are first redirected to add a cache-busting _rsc parameter,
 * and carry redirects inside the payload; both are read here as the browser would.
 */
async function request(client: APIRequestContext, url: string, headers: Record<string, string>, method: "GET" | "POST" = "GET"): Promise<Outcome> {
  if (method === "POST") {
    // Same-origin, empty multipart body: past authorisation it can only be a validation error.
    // RSC headers are dropped: Next routes a POST carrying them as a page request, not to the handler.
    const { RSC: _rsc, ...plain } = headers;
    const response = await client.post(url, { headers: { ...plain, origin: new URL(url, "http://127.0.0.1:3100").origin }, multipart: {}, maxRedirects: 0 });
    return response.status() === 400 ? "allow" : outcomeOf(response.status(), response.headers()["location"]);
  }
  let response = await client.get(url, { headers, maxRedirects: 0 });
  const location = response.headers()["location"];
  if (response.status() === 307 && location?.includes("_rsc")) response = await client.get(location, { headers, maxRedirects: 0 });
  if (response.status() === 200 && response.headers()["content-type"]?.includes("text/x-component")) {
    const body = await response.text();
    if (body.includes("NEXT_REDIRECT;replace;/signin")) return "login";
    if (/NEXT_REDIRECT;replace;\/;/.test(body)) return "home";
    // notFound() inside an RSC payload: the status stays 200, the payload carries the 404.
    if (body.includes("NEXT_HTTP_ERROR_FALLBACK;404")) return "deny";
  }
  return outcomeOf(response.status(), response.headers()["location"]);
}

async function leakedMarker(client: APIRequestContext, rule: RouteRule, ids: Ids, role: Role, headers: Record<string, string>): Promise<string | null> {
  const expected = rule.expect[role];
  if (expected !== "deny" && expected !== "login") return null;
  let response = await client.get(rule.path(ids), { headers, maxRedirects: 0 });
  const location = response.headers()["location"];
  if (response.status() === 307 && location?.includes("_rsc")) response = await client.get(location, { headers, maxRedirects: 0 });
  const body = await response.text();
  const markers = [rule.marker?.(ids), role === "anon" ? SIGNED_IN_MARKER : undefined].filter((m): m is string => Boolean(m));
  return markers.find((m) => body.includes(m)) ?? null;
}

function outcomeOf(status: number, location: string | undefined): Outcome {
  if (status >= 300 && status < 400) return location?.includes("/signin") ? "login" : location?.replace(/^https?:\/\/[^/]+/, "") === "/" ? "home" : "deny";
  if (status === 200) return "allow";
  if ([401, 403, 404].includes(status)) return "deny";
  throw new Error(`unexpected status ${status}`);
}

test("every route answers each role exactly as the policy says, forged headers or not", async ({ browser, db, person, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const manifest = JSON.parse(fs.readFileSync(path.join(".next", "server", "app-paths-manifest.json"), "utf8")) as Record<string, string>;
  const routes = Object.keys(manifest).filter((r) => !IGNORED_ROUTES.has(r));
  expect(
    routes.filter((r) => !ROUTE_POLICY[r]),
    "routes missing from e2e/fixtures/route-policy.ts",
  ).toEqual([]);

  // Records no demo person but admins and auditors may see: an unmanaged person's grant in an ownerless app.
  const loner = await makePerson(db, { displayName: "Route Matrix Loner", managerId: null });
  const app = await makeApplication(db, { name: `Route matrix app ${Date.now()}` });
  const entitlement = await makeEntitlement(db, { applicationId: app.id });
  const grant = await makeGrant(db, { identityId: loner.id, entitlementId: entitlement.id });
  const findingReason = `Route matrix finding about ${loner.displayName}'s grant ${grant.id}`;
  const [finding] = await db
    .insert(findings)
    .values({
      kind: "unused_standing_privilege",
      severity: "high",
      dedupeKey: `route-matrix:${grant.id}`,
      identityId: loner.id,
      grantId: grant.id,
      entitlementId: entitlement.id,
      applicationId: app.id,
      reason: findingReason,
      firstSeenAt: new Date(),
      lastSeenAt: new Date(),
    })
    .returning({ id: findings.id });
  const session = await makeSession(db, { grantId: grant.id, identityId: loner.id, applicationId: app.id, entitlementId: entitlement.id, startedAt: new Date(), minutes: 5 });
  const { request: lonerRequest } = await makeRequest(db, { requesterId: loner.id, entitlementId: entitlement.id, approverIds: [] });
  const campaignName = `Route matrix campaign ${grant.id}`;
  const [campaign] = await db
    .insert(campaigns)
    .values({ name: campaignName, scope: { applicationIds: [app.id] }, reviewerRule: "manager", createdById: loner.id })
    .returning({ id: campaigns.id });
  const ids: Ids = {
    identityId: loner.id,
    identityName: loner.displayName,
    grantId: grant.id,
    entitlementName: entitlement.name,
    applicationId: app.id,
    batchId: "00000000-0000-4000-8000-000000000000",
    findingId: finding!.id,
    findingReason,
    requestId: lonerRequest.id,
    entitlementId: entitlement.id,
    sessionId: String(session.id),
    campaignId: campaign!.id,
    campaignName,
  };

  const demoRole: Record<Exclude<Role, "anon">, Parameters<typeof person>[0]> = { employee: "employee", manager: "manager", owner: "app_owner", auditor: "auditor", admin: "admin" };
  const clients: [Role, APIRequestContext][] = [["anon", await playwright.request.newContext({ baseURL })]];
  for (const [role, demo] of Object.entries(demoRole) as [Exclude<Role, "anon">, Parameters<typeof person>[0]][]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await new SignInPage(page).signInWithIdentityProvider((await person(demo)).email);
    await expect(page.getByRole("heading", { name: /^Hello, / })).toBeVisible();
    clients.push([role, context.request]);
  }

  const mismatches: string[] = [];
  let cells = 0;
  for (const route of routes) {
    const rule = ROUTE_POLICY[route]!;
    for (const [role, client] of clients) {
      for (const headers of FORGED) {
        const got = await request(client, rule.path(ids), headers, rule.method);
        cells += 1;
        if (got !== rule.expect[role]) mismatches.push(`${role} ${rule.path(ids)} ${JSON.stringify(headers)}: expected ${rule.expect[role]}, got ${got}`);
      }
      // Refused or not, no response may carry the page's protected data.
      for (const headers of [PREFETCH, { RSC: "1" }, {}] as Record<string, string>[]) {
        const leak = await leakedMarker(client, rule, ids, role, headers);
        if (leak) mismatches.push(`${role} ${rule.path(ids)} ${JSON.stringify(headers)} leaked "${leak}"`);
      }
      cells += 1;
    }
  }
  console.log(`route matrix: ${routes.length} routes × ${clients.length} roles × ${FORGED.length + 1} header sets = ${cells} cells, ${mismatches.length} unexpected`);
  expect(mismatches).toEqual([]);
});
