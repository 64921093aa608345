import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { group, patchOps, scimCaller, scimToken, user, type ScimCall } from "./test-client";

/**
 * SECURITY.md promise 8: fuzzed filters and PATCH bodies never produce a 5xx, and nothing of
 * another source ever comes back. The seed is logged so a failure can be replayed.
 */
const deps = testDeps();
const seed = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);
const RUNS = Number(process.env.FC_RUNS ?? 150);

let scim: ScimCall;
let userId: string;
let groupId: string;
let foreign: string[];
const stats = { requests: 0, accepted: 0, serverErrors: 0, leaks: 0 };

beforeAll(async () => {
  console.log(`[scim fuzz] fast-check seed ${seed} (replay with FC_SEED=${seed})`);
  const mine = await scimToken(testDb, deps);
  const theirs = await scimToken(testDb, deps);
  scim = scimCaller(deps, mine.secret);
  const other = scimCaller(deps, theirs.secret);
  userId = (await scim("POST", "/Users", user("fuzz.target"))).json.id;
  await scim("POST", "/Users", user("fuzz.peer"));
  groupId = (await scim("POST", "/Groups", group("Fuzz group", [userId]))).json.id;
  const theirUser = (await other("POST", "/Users", user("zz-foreign-user"))).json.id;
  const theirGroup = (await other("POST", "/Groups", group("zz-foreign-group", [theirUser]))).json.id;
  foreign = [theirUser, theirGroup, "zz-foreign-user", "zz-foreign-group"];
});

async function check(call: Promise<{ status: number; body: string | null }>) {
  const reply = await call;
  stats.requests++;
  if (reply.status < 300) stats.accepted++;
  if (reply.status >= 500) stats.serverErrors++;
  // Error details may echo the request; a leak is another source's data in an answer.
  const leaked = reply.status < 300 && foreign.some((f) => reply.body?.includes(f));
  if (leaked) stats.leaks++;
  expect(reply.status, reply.body ?? "").toBeLessThan(500);
  expect(leaked, reply.body ?? "").toBe(false);
}

const ATTRIBUTES = [
  "userName",
  "USERNAME",
  "displayName",
  "title",
  "active",
  "id",
  "externalId",
  "emails",
  "emails.value",
  "emails.type",
  "emails.primary",
  "name.familyName",
  "meta.created",
  "meta.lastModified",
  "members",
  "members.value",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
  "manager.value",
  "password",
  "unknownAttr",
  "name",
  "__proto__",
  "constructor",
];
const OPS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ"];
const value = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom("true", "false", "null", "42", "-1.5e3", '"2024-01-01T00:00:00Z"', "bare", "2015-10-10T14:38:21-07:00", '"%_\\\\"', '"\' or 1=1 --"', `"zz-foreign-user"`),
);
const comparison = fc.oneof(
  fc.tuple(fc.constantFrom(...ATTRIBUTES), fc.constantFrom(...OPS), value).map(([a, o, v]) => `${a} ${o} ${v}`),
  fc.constantFrom(...ATTRIBUTES).map((a) => `${a} pr`),
);
const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    comparison,
    fc.tuple(tie("f"), fc.constantFrom("and", "or", "AND"), tie("f")).map(([l, o, r]) => `${l} ${o} ${r}`),
    tie("f").map((f) => `not (${f})`),
    tie("f").map((f) => `(${f})`),
    fc.tuple(fc.constantFrom("emails", "members", "addresses", "userName"), comparison).map(([a, c]) => `${a}[${c}]`),
  ),
})).f;
const noise = fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[\w "()[\].:-]{0,60}$/), fc.constant("(".repeat(500)), fc.constant('userName eq "' + "x".repeat(5000) + '"'));

const path = fc.oneof(
  fc.constantFrom(
    ...ATTRIBUTES,
    'emails[type eq "work"].value',
    'members[value eq "x"]',
    `members[value eq "${"00000000-0000-0000-0000-000000000000"}"]`,
    "name.givenName",
    "id",
    "meta",
    "schemas",
    "groups",
    "a.b.c",
    "emails[",
    "]",
    "",
  ),
  fc.string({ maxLength: 30 }),
);
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("False", "True", [{ value: "zz-foreign-user" }], { __proto__: { polluted: 1 } }, [{ value: "x" }], { active: false }, { displayName: "renamed" }),
);
const operation = fc.record({ op: fc.constantFrom("add", "remove", "replace", "Replace", "ADD", "move", 7), path, value: jsonValue }, { requiredKeys: ["op"] });
const patchBody = fc.oneof(
  fc.array(operation, { minLength: 1, maxLength: 4 }).map((ops) => patchOps(...ops)),
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ Operations: fc.anything({ maxDepth: 2 }) }),
);

describe("SCIM fuzzing", () => {
  it("answers every generated or random filter without a 5xx or another source's data", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(filter, noise), fc.constantFrom("/Users", "/Groups"), async (f, endpoint) => {
        await check(scim("GET", `${endpoint}?filter=${encodeURIComponent(f)}&startIndex=1&count=5`));
      }),
      { seed, numRuns: RUNS * 2 },
    );
  });

  it("answers every generated PATCH body without a 5xx, and the resources stay readable", async () => {
    await fc.assert(
      fc.asyncProperty(patchBody, fc.boolean(), async (body, onGroup) => {
        await check(scim("PATCH", onGroup ? `/Groups/${groupId}` : `/Users/${userId}`, body));
        await check(scim("GET", onGroup ? `/Groups/${groupId}` : `/Users/${userId}`));
      }),
      { seed, numRuns: RUNS },
    );
    expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
    console.log(`[scim fuzz] ${stats.requests} requests (${stats.accepted} 2xx), ${stats.serverErrors} server errors, ${stats.leaks} cross-source leaks`);
    expect(stats).toMatchObject({ serverErrors: 0, leaks: 0 });
  });
});
