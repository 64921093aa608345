import { z } from "zod";
import type { ParseOutcome, SessionPhase, UsageKind } from "../event";
import { contentId, event, isObject, text, texts, timestamp, unique, withSchema } from "./common";

/**
 * Teleport audit events (the JSON of its audit log, one event a line). Field names from
 * Teleport's event catalogue; see lib/domain/ingest/fixtures for one event of every type.
 *
 * Sessions: every event carrying a `sid` belongs to that session (ssh, kube exec, database,
 * application, Windows desktop). *.session.start and *.session.end open and close it; an end
 * carries session_start/session_stop, so an end that arrives first already gives the duration.
 * Joins and leaves add participants. Everything else with a sid is activity in the session.
 */
const schema = z
  .object({
    event: z.string({ error: "required (the event type)" }).min(1, "must not be empty"),
    time: timestamp,
    uid: z.string().optional(),
    sid: z.string().optional(),
    ei: z.number().optional(),
    code: z.string().optional(),
    // A string, or {user: "..."} in device events.
    user: z.union([z.string(), z.object({ user: z.string().optional() }).loose()]).optional(),
    success: z.boolean().optional(),
    session_start: timestamp.optional(),
    session_stop: timestamp.optional(),
    participants: z.array(z.string()).optional(),
  })
  .loose();

/** Recording payload and bookkeeping: part of a session's replay, not evidence of access. */
const IGNORED: Record<string, string> = {
  print: "terminal output chunk of a session recording",
  resize: "terminal resize in a session recording",
  "app.session.chunk": "chunk of an application session recording",
  "session.upload": "recording upload notice",
};

const START = new Set(["session.start", "db.session.start", "app.session.start", "windows.desktop.session.start"]);
const END = new Set(["session.end", "db.session.end", "app.session.end", "windows.desktop.session.end"]);
const SIGN_IN = new Set(["user.login", "auth", "bot.join"]);
/** Asking for access, or looking after one's own account: never a use of access. */
const NOT_A_USE = /^(access_request\.|recovery_code\.|mfa\.|user\.password_change$)/;

function phaseOf(type: string): SessionPhase {
  if (START.has(type)) return "start";
  if (END.has(type)) return "end";
  if (type === "session.join") return "join";
  if (type === "session.leave") return "leave";
  return "activity";
}

/** Work done through Teleport: a session's activity when it names its session, else an API call. */
const ACCESS = /^(db\.session\.|app\.session\.|desktop\.)|^(exec|scp|sftp|x11-forward|port|kube\.request|ssm\.run)$|\.request$/;

function kindOf(type: string, inSession: boolean): UsageKind {
  if (inSession) return "session";
  if (SIGN_IN.has(type)) return "sign_in";
  if (ACCESS.test(type)) return "api_call";
  return "other";
}

/** Where the event happened, in the words of its kind of resource. */
function targetOf(e: Record<string, unknown>): string | null {
  const db = text(e.db_service);
  if (db) return text(e.db_name) ? `${db}/${text(e.db_name)}` : db;
  return (
    text(e.server_hostname) ??
    text(e.kubernetes_cluster) ??
    text(e.app_name) ??
    text(e.desktop_addr) ??
    text(e.windows_desktop_service) ??
    text(e.server_addr) ??
    text(e.instance_id) ??
    text(e.server_id) ??
    text(e.name) ??
    null
  );
}

export function parseTeleport(value: unknown): ParseOutcome {
  return withSchema(schema, value, (e) => {
    const type = e.event;
    if (type in IGNORED) return { status: "ignored", reason: `${type}: ${IGNORED[type]}` };
    const raw = value as Record<string, unknown>;
    const identity = isObject(raw.identity) ? raw.identity : {};
    const user = typeof e.user === "string" ? text(e.user) : (text(e.user?.user) ?? null);
    // Reviewers act on access requests as updated_by; certificates name their holder under identity.
    const accountName = user ?? text(raw.updated_by) ?? text(identity.user);
    const sid = text(e.sid);
    // Someone watching a recording names its sid, but is not taking part in that session.
    const inSession = sid !== null && type !== "session.recording.access";
    const failed = e.success === false || /[EW]$/i.test(e.code ?? "");
    const login = text(raw.login) ?? text(raw.db_user) ?? text(raw.windows_user) ?? text(raw.kubernetes_users) ?? null;
    const roles = [...texts(raw.roles), ...texts(raw.search_as_roles)];
    const hints = unique([login, text(raw.db_user), text(raw.windows_user), ...texts(raw.kubernetes_groups), ...texts(raw.kubernetes_users), text(raw.aws_role_arn), text(raw.app_name), ...roles]);
    const target = targetOf(raw);
    const phase = phaseOf(type);
    const recorded = text(raw.session_recording) !== "off" && (type === "session.start" || type === "session.end");
    const eventId = text(e.uid) ?? (sid !== null && e.ei !== undefined ? `${sid}:${e.ei}` : contentId(value));
    const isRequest = type.startsWith("access_request.");
    return event({
      eventId,
      occurredAt: e.time,
      kind: kindOf(type, inSession),
      action: type,
      failed,
      use: !NOT_A_USE.test(type),
      account: { name: accountName, externalId: null },
      entitlementHints: hints,
      target: isRequest && text(raw.id) ? `access request ${text(raw.id)}` : target,
      linkRequest: isRequest,
      session: inSession
        ? {
            id: sid,
            phase,
            startedAt: phase === "start" ? e.time : phase === "end" ? e.session_start : undefined,
            endedAt: phase === "end" ? (e.session_stop ?? e.time) : undefined,
            login,
            participants: unique([...(e.participants ?? []), ...(phase === "join" || phase === "leave" || phase === "start" ? [accountName] : [])]),
            // Teleport replays a recorded session by its id.
            recordingRef: recorded ? `tsh play ${sid}` : null,
            target,
          }
        : undefined,
      raw: value,
    });
  });
}
