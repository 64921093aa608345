import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { systemDeps } from "@/lib/domain/deps";
import { createApiToken } from "@/lib/domain/tokens/api-tokens";
import { knownExceptionFor, SCIM_KNOWN_EXCEPTIONS, type FailedAssertion } from "../fixtures/scim-known-exceptions";
import { e2eState } from "../fixtures/state";
import { expect, test } from "../fixtures/test";

/** The part of newman's API this spec uses (newman ships no types). */
interface NewmanSummary {
  run: {
    stats: { assertions: { total: number; failed: number }; requests: { total: number } };
    failures: { error?: { name?: string; test?: string; message?: string }; source?: { name?: string } }[];
  };
}
interface Newman {
  run(options: Record<string, unknown>, callback: (error: Error | null, summary: NewmanSummary) => void): void;
}
const newman = createRequire(import.meta.url)("newman") as Newman;

const COLLECTION = path.resolve(process.cwd(), "e2e/fixtures/scim-microsoft/PostmanCollection.json");

test.describe("SCIM 2.0 conformance", () => {
  test("Microsoft's SCIM test collection passes against the running Accord, apart from documented reference-server quirks", async ({ db }) => {
    test.setTimeout(180_000);
    const admin = await loadActiveActorByEmail(db, "alex.admin@accord.example");
    if (!admin) throw new Error("the demo admin is missing from the e2e database");
    // A source of its own: the collection counts Users, so it must start from an empty source.
    const source = `conformance-${Date.now().toString(36)}`;
    const { secret } = await createApiToken(systemDeps(db), admin, { name: "SCIM conformance (newman)", scopes: ["scim"], source });

    const collection = JSON.parse(fs.readFileSync(COLLECTION, "utf8")) as { item: { name: string }[] };
    // Every folder but "Get Token" (our tokens come from Accord). The folder is dropped from the
    // collection rather than listing the others in `folder`: newman looks names up depth-first,
    // and the top-level "Get all users" would be shadowed by a request of that name in a folder.
    collection.item = collection.item.filter((item) => item.name !== "Get Token");
    const base = new URL(e2eState().baseURL);
    const summary = await new Promise<NewmanSummary>((resolve, reject) =>
      newman.run(
        {
          collection,
          reporters: [],
          envVar: [
            { key: "Protocol", value: base.protocol.replace(":", "") },
            { key: "Server", value: base.hostname },
            { key: "Port", value: base.port ? `:${base.port}` : "" },
            { key: "Api", value: "api/scim/v2" },
            { key: "token", value: secret },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );

    const failed: FailedAssertion[] = summary.run.failures.map((f) => ({ request: f.source?.name ?? "?", assertion: f.error?.test ?? f.error?.name ?? "?", message: f.error?.message ?? "" }));
    const { total, failed: failedCount } = summary.run.stats.assertions;
    console.log(`[scim conformance] ${summary.run.stats.requests.total} requests, ${total} assertions, ${total - failedCount} passed, ${failedCount} failed`);
    for (const f of failed) console.log(`[scim conformance] ${knownExceptionFor(f) ? "known" : "UNEXPECTED"}: [${f.request}] ${f.assertion}: ${f.message}`);

    expect(total, "the collection ran its assertions").toBeGreaterThanOrEqual(100);
    expect(
      failed.filter((f) => !knownExceptionFor(f)),
      "failed assertions not in e2e/fixtures/scim-known-exceptions.ts",
    ).toEqual([]);
    const stale = SCIM_KNOWN_EXCEPTIONS.filter((e) => !failed.some((f) => knownExceptionFor(f) === e));
    expect(
      stale.map((e) => `[${e.request}] ${e.assertion}`),
      "known exceptions that now pass: remove them",
    ).toEqual([]);
  });
});
