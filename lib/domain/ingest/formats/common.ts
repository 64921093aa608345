import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { z } from "zod";
import type { EvidenceEvent, ParseOutcome } from "../event";

/**
 * ISO 8601 as sources really write it: "T" or a space between date and time, any number of
 * fractional digits (Teleport writes nanoseconds), and "Z", an offset, or nothing (read as UTC,
 * which is what CloudTrail, Okta and Entra exports mean when they leave it out).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseTimestamp(text: string): Date | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(utc);
  // Date.UTC rolls 31 February over into March; a real timestamp survives the round trip.
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi) ||
    check.getUTCSeconds() !== Number(s)
  )
    return null;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return new Date(utc - offsetMinutes * 60_000);
}

/** A timestamp field: rejected with the field's name when it is missing or not a timestamp. */
export const timestamp = z.string({ error: "required (a timestamp)" }).transform((text, ctx) => {
  const date = parseTimestamp(text);
  if (!date) {
    ctx.addIssue({ code: "custom", message: `"${text.slice(0, 40)}" is not an ISO 8601 timestamp` });
    return z.NEVER;
  }
  return date;
});

/** Optional text: empty strings and non-strings become null rather than rejecting the line. */
export const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);

export const texts = (value: unknown): string[] => (Array.isArray(value) ? value.map(text).filter((v): v is string => v !== null) : []);

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** "field: message" for every issue, so a rejected line says what is wrong and where. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "event"}: ${issue.message}`)
    .join("; ");
}

/** Parses with a format's zod schema and hands the typed value on, or rejects naming the field. */
export function withSchema<S extends z.ZodType>(schema: S, value: unknown, build: (parsed: z.output<S>) => ParseOutcome): ParseOutcome {
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { status: "rejected", reason: describeIssues(parsed.error) };
  return build(parsed.data);
}

/**
 * For events without an id of their own (some exports drop it): the SHA-256 of the event's
 * canonical JSON, so the same event sent twice still counts once.
 */
export function contentId(value: unknown): string {
  return `sha256:${createHash("sha256")
    .update(canonicalize(value) ?? "")
    .digest("hex")}`;
}

export const event = (fields: EvidenceEvent): ParseOutcome => ({ status: "event", event: fields });

/** The last part of an ARN or path: "arn:aws:iam::1:role/Admin" → "Admin". */
export const lastSegment = (value: string | null): string | null => (value ? (value.split(/[/:]/).pop() ?? null) || null : null);

export const unique = (values: (string | null | undefined)[]): string[] => [...new Set(values.filter((v): v is string => typeof v === "string" && v !== ""))];
