import type { FormatParser, ParseOutcome } from "../event";
import { parseCloudTrail } from "./cloudtrail";
import { parseEntra } from "./entra";
import { parseGeneric } from "./generic";
import { parseOkta } from "./okta";
import { parseTeleport } from "./teleport";

export const INGEST_FORMATS = ["teleport", "cloudtrail", "okta", "entra", "generic"] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

export const PARSERS: Record<IngestFormat, FormatParser> = {
  teleport: parseTeleport,
  cloudtrail: parseCloudTrail,
  okta: parseOkta,
  entra: parseEntra,
  generic: parseGeneric,
};

export const isIngestFormat = (value: string): value is IngestFormat => (INGEST_FORMATS as readonly string[]).includes(value);

/**
 * One NDJSON line through a format's parser. Never throws: a line that is not JSON, not an
 * object, or fails the format's checks comes back rejected with the reason.
 */
export function parseLine(format: IngestFormat, line: string): ParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { status: "rejected", reason: `not valid JSON (${(error as Error).message.replace(/^JSON\.parse: /, "").slice(0, 120)})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { status: "rejected", reason: "expected one JSON object per line" };
  try {
    return PARSERS[format](value);
  } catch (error) {
    // A parser bug must cost one line, never the rest of the file.
    return { status: "rejected", reason: `could not be read (${(error as Error).message.slice(0, 120)})` };
  }
}
