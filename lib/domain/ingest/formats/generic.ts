import { z } from "zod";
import { USAGE_KINDS, type ParseOutcome } from "../event";
import { event, timestamp, unique, withSchema } from "./common";

/**
 * Accord's own format, for sources without a parser of their own (a bastion's log, a script).
 * One JSON object a line; unknown fields are rejected so a typo is not silently ignored:
 *
 *   {"id":"evt-1","time":"2025-03-01T10:00:00Z","user":"jdoe","kind":"session",
 *    "action":"ssh","application":"Postgres prod","entitlement":"superuser","target":"db-1",
 *    "session":{"id":"s-42","phase":"start"}}
 *
 * id, time and user are required (user may be null when the source does not know who);
 * kind defaults to "other"; action to the kind. session.phase is start, end, join, leave or
 * activity; an end may carry startedAt so its duration is known before the start arrives.
 * application (name or id) overrides the request's application parameter for that line.
 */
export const genericEventSchema = z
  .object({
    id: z.string({ error: "required (unique per source)" }).trim().min(1, "must not be empty").max(500),
    time: timestamp,
    user: z.string({ error: "required (the user name in the application, or null)" }).trim().max(500).nullable(),
    userId: z.string().trim().max(500).optional().describe("the account's external id in the application"),
    kind: z.enum(USAGE_KINDS).default("other"),
    action: z.string().trim().min(1).max(200).optional(),
    application: z.string().trim().min(1).max(200).optional(),
    entitlement: z.string().trim().min(1).max(500).optional(),
    target: z.string().trim().max(1000).optional(),
    outcome: z.enum(["success", "failure"]).default("success"),
    session: z
      .object({
        id: z.string().trim().min(1).max(500),
        phase: z.enum(["start", "end", "join", "leave", "activity"]),
        startedAt: timestamp.optional(),
        endedAt: timestamp.optional(),
        login: z.string().trim().max(200).optional(),
        participants: z.array(z.string().trim().min(1).max(500)).max(100).optional(),
        recording: z.string().trim().max(1000).optional(),
      })
      .strict()
      .optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export function parseGeneric(value: unknown): ParseOutcome {
  return withSchema(genericEventSchema, value, (e) => {
    const s = e.session;
    return event({
      eventId: e.id,
      occurredAt: e.time,
      kind: s ? "session" : e.kind,
      action: e.action ?? (s ? `session.${s.phase}` : e.kind),
      failed: e.outcome === "failure",
      use: true,
      account: { name: e.user, externalId: e.userId ?? null },
      application: e.application ?? null,
      entitlementHints: unique([e.entitlement, s?.login]),
      target: e.target ?? null,
      session: s
        ? {
            id: s.id,
            phase: s.phase,
            startedAt: s.phase === "start" ? (s.startedAt ?? e.time) : s.startedAt,
            endedAt: s.phase === "end" ? (s.endedAt ?? e.time) : undefined,
            login: s.login ?? null,
            participants: unique([...(s.participants ?? []), ...(s.phase === "start" || s.phase === "join" ? [e.user] : [])]),
            recordingRef: s.recording ?? null,
            target: e.target ?? null,
          }
        : undefined,
      raw: value,
    });
  });
}
