import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { authSessions } from "@/db/schema";
import { DEMO_PEOPLE } from "@/lib/demo/people";
import { setEnv } from "@/lib/env";
import { Forbidden } from "@/lib/errors";
import { makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { accordAdapter } from "./adapter";
import { hashSessionToken } from "./session-token";
import { endSession, startDemoSession } from "./sessions";

const deps = testDeps();
const demoEmail = DEMO_PEOPLE.find((p) => p.role === "employee")!.email;

afterEach(() => setEnv("ACCORD_DEMO", "false"));

describe("demo sign-in", () => {
  it("is impossible when demo mode is off", async () => {
    await makePerson(testDb, { email: demoEmail });
    setEnv("ACCORD_DEMO", "false");
    await expect(startDemoSession(deps, demoEmail)).rejects.toThrow(new Forbidden("Demo sign-in is turned off."));
  });

  it("signs in only the demo people, and stores only the token's hash", async () => {
    setEnv("ACCORD_DEMO", "true");
    const other = await makePerson(testDb);
    await expect(startDemoSession(deps, other.email!)).rejects.toBeInstanceOf(Forbidden);

    const { token } = await startDemoSession(deps, demoEmail);
    const rows = await testDb
      .select()
      .from(authSessions)
      .where(eq(authSessions.tokenHash, hashSessionToken(token)));
    expect(rows).toHaveLength(1);
    expect(await testDb.select().from(authSessions).where(eq(authSessions.tokenHash, token))).toEqual([]);

    // The adapter next-auth uses finds the session by the same hash, until it is ended.
    const adapter = accordAdapter(testDb);
    await expect(adapter.getSessionAndUser!(token)).resolves.toMatchObject({ user: { email: demoEmail } });
    await endSession(deps, token);
    await expect(adapter.getSessionAndUser!(token)).resolves.toBeNull();
  });
});

describe("the next-auth adapter", () => {
  it("never creates identities and does not sign in suspended people", async () => {
    const adapter = accordAdapter(testDb);
    expect(() => (adapter.createUser as (u: unknown) => unknown)({ email: "new@x.example" })).toThrow(/does not create identities/);
    const suspended = await makePerson(testDb, { status: "suspended" });
    await expect(adapter.getUserByEmail!(suspended.email!)).resolves.toBeNull();
  });
});
