import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseLine, type IngestFormat } from "./formats";
import type { EvidenceEvent, ParseOutcome } from "./event";

/** Test support: the copied vendor samples (fixtures/NOTICE.md) and ../shared/samples when present. */
export const FIXTURES = path.join(import.meta.dirname, "fixtures");
export const SHARED_SAMPLES = path.resolve(import.meta.dirname, "../../../../shared/samples");
export const hasSharedSamples = existsSync(SHARED_SAMPLES);

export function fixtureLines(file: string, dir = FIXTURES): string[] {
  return readFileSync(path.join(dir, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
}

export function parseAll(format: IngestFormat, lines: string[]): { line: number; outcome: ParseOutcome }[] {
  return lines.map((text, i) => ({ line: i + 1, outcome: parseLine(format, text) }));
}

export function eventsOf(results: { outcome: ParseOutcome }[]): EvidenceEvent[] {
  return results.flatMap((r) => (r.outcome.status === "event" ? [r.outcome.event] : []));
}

export function statusCounts(results: { outcome: ParseOutcome }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.outcome.status] = (counts[r.outcome.status] ?? 0) + 1;
  return counts;
}
