import { gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privilegedSessions, usageEvents } from "@/db/schema";
import { createApiToken, revokeApiToken } from "@/lib/domain/tokens/api-tokens";
import { actorFor, makeAccount, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { serveRoute } from "@/lib/testing/serve-route";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { fixtureLines } from "@/lib/domain/ingest/fixtures";
import { ingestRoute } from "./ingest-route";

/** POST /api/v1/events over real HTTP on loopback, with real tokens. */
let server: Awaited<ReturnType<typeof serveRoute>>;
let app: Awaited<ReturnType<typeof makeApplication>>;
let writer: string;
let reader: string;
let anonymousWriter: string;

beforeAll(async () => {
  server = await serveRoute(ingestRoute(() => testDeps(), { maxBytes: 64 * 1024 }));
  app = await makeApplication(testDb, { name: "Bastion hosts" });
  const person = await makePerson(testDb);
  await makeAccount(testDb, { applicationId: app.id, identityId: person.id, username: "rjones" });
  const ent = await makeEntitlement(testDb, { applicationId: app.id, name: "rjones", privileged: true });
  await makeGrant(testDb, { identityId: person.id, entitlementId: ent.id, grantedAt: new Date("2019-01-01T00:00:00Z") });
  const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
  writer = (await createApiToken(testDeps(), admin, { name: "Teleport prod", scopes: ["events:write"], source: "teleport-prod" })).secret;
  anonymousWriter = (await createApiToken(testDeps(), admin, { name: "No source", scopes: ["events:write"] })).secret;
  reader = (await createApiToken(testDeps(), admin, { name: "SIEM", scopes: ["evidence:read"] })).secret;
});
afterAll(() => server.close());

const post = (query: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/v1/events?${query}`, { method: "POST", body, headers: { "content-type": "application/x-ndjson", ...headers }, duplex: "half" } as RequestInit);
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const recording = fixtureLines("teleport-session-recording-vim.ndjson").join("\n");

describe("POST /api/v1/events", () => {
  it("ingests a Teleport recording for the token's source and answers with the counts", async () => {
    const response = await post(`format=teleport&application=${encodeURIComponent("bastion HOSTS")}`, recording, auth(writer));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      source: "teleport-prod",
      lines: 160,
      accepted: 3,
      duplicate: 0,
      unmatched: 0,
      rejected: 0,
      ignored: 157,
      withoutApproval: 0,
      rejectedLines: [],
      committedThroughLine: 160,
    });
    const [session] = await testDb.select().from(privilegedSessions).where(eq(privilegedSessions.source, "teleport-prod"));
    expect(session).toMatchObject({ sourceSessionId: "516965e5-e6ef-11e9-9d5b-42010a80002b", durationSeconds: 65, usedWithoutApproval: false });
    expect(session!.grantId).not.toBeNull();

    const again = await post(`format=teleport&application=${app.id}`, gzipSync(recording), { ...auth(writer), "content-encoding": "gzip" });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicate: 3, ignored: 157 });
  });

  it("streams a chunked body, and reports rejected lines by number", async () => {
    const lines = ['{"id":"g1","time":"2024-05-01T10:00:00Z","user":"rjones","kind":"sign_in"}', "not json", '{"id":"g2","time":"2024-05-01T10:00:00Z","user":"nobody"}'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const l of lines) controller.enqueue(new TextEncoder().encode(`${l}\n`));
        controller.close();
      },
    });
    const response = await post(`format=generic&application=${app.id}`, body, auth(anonymousWriter));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ source: "generic", accepted: 1, unmatched: 1, rejected: 1, rejectedLines: [{ line: 2, reason: expect.stringMatching(/^not valid JSON/) }] });
    expect(await testDb.select().from(usageEvents).where(eq(usageEvents.source, "generic"))).toHaveLength(2);
  });

  it("refuses callers without a live events:write token, and says which parameter is wrong", async () => {
    expect((await post("format=teleport", recording)).status).toBe(401);
    expect((await post("format=teleport", recording, { cookie: "next-auth.session-token=whatever" })).status).toBe(401);
    expect((await post("format=teleport", recording, auth(reader))).status).toBe(403);
    const noApp = await post("format=teleport", recording, auth(writer));
    expect(noApp.status).toBe(400);
    expect((await noApp.json()).error.fields).toHaveProperty("application");
    const badFormat = await post("format=syslog&application=x", recording, auth(writer));
    expect((await badFormat.json()).error.fields).toHaveProperty("format");
    const unknownApp = await post("format=teleport&application=Nope", recording, auth(writer));
    expect((await unknownApp.json()).error.fields.application[0]).toContain("Nope");
    expect((await post(`format=teleport&application=${app.id}`, recording, { ...auth(writer), "content-encoding": "br" })).status).toBe(415);

    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const { id, secret } = await createApiToken(testDeps(), admin, { name: "short-lived", scopes: ["events:write"] });
    await revokeApiToken(testDeps(), admin, { tokenId: id });
    expect((await post(`format=teleport&application=${app.id}`, recording, auth(secret))).status).toBe(401);
  });

  it("refuses an oversized body up front, and stops a streamed one at the limit keeping what was committed", async () => {
    const big = "x".repeat(70 * 1024);
    expect((await post(`format=generic&application=${app.id}`, big, auth(writer))).status).toBe(413);
    const line = (i: number) => `{"id":"big-${i}","time":"2024-05-01T10:00:00Z","user":"rjones","details":{"pad":"${"p".repeat(900)}"}}\n`;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 200; i++) controller.enqueue(new TextEncoder().encode(line(i)));
        controller.close();
      },
    });
    const response = await post(`format=generic&application=${app.id}`, stream, auth(writer));
    expect(response.status).toBe(413);
    const body = await response.json();
    expect(body.error.code).toBe("TOO_LARGE");
    expect(body.accepted).toBeGreaterThan(0);
    expect(body.accepted).toBeLessThan(70);
    const stored = await testDb.select().from(usageEvents).where(eq(usageEvents.source, "teleport-prod"));
    expect(stored.filter((e) => e.sourceEventId.startsWith("big-"))).toHaveLength(body.accepted);
  });

  it("answers 400 for a corrupt gzip body", async () => {
    const response = await post(`format=teleport&application=${app.id}`, Buffer.from("not gzip at all"), { ...auth(writer), "content-encoding": "gzip" });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/could not be read/);
  });
});
