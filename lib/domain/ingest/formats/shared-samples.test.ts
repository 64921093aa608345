import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureLines, hasSharedSamples, parseAll, SHARED_SAMPLES, statusCounts } from "../fixtures";
import type { IngestFormat } from ".";

/** The whole of ../shared/samples, when it is there (the fixtures hold the part tests always need). */
const FILES: [IngestFormat, string][] = [
  ["teleport", "teleport/teleport-audit-events-all-types.ndjson"],
  ["teleport", "teleport/panther-test-events.ndjson"],
  ["cloudtrail", "aws-cloudtrail/panther-test-events.ndjson"],
  ["okta", "okta/panther-test-events.ndjson"],
  ["entra", "entra-id/panther-test-events.ndjson"],
];

describe.skipIf(!hasSharedSamples)("every shared sample", () => {
  if (!hasSharedSamples) console.warn(`skipped: ${SHARED_SAMPLES} is not there`);
  it.each(FILES)("%s reads %s: every line an event, or rejected naming a field", (format, file) => {
    const results = parseAll(format, fixtureLines(path.basename(file), path.join(SHARED_SAMPLES, path.dirname(file))));
    const counts = statusCounts(results);
    expect(counts.event ?? 0).toBeGreaterThan(results.length * 0.7);
    for (const r of results) if (r.outcome.status === "rejected") expect(r.outcome.reason).toMatch(/^[A-Za-z.]+: /);
  });
});
