/**
 * The one shape every evidence format is parsed into. Parsers are pure: they read one decoded
 * JSON value and say what it is (evidence, deliberately ignored, or rejected with a reason);
 * matching to accounts, entitlements, grants and activations happens later, in SQL.
 */
export const USAGE_KINDS = ["sign_in", "api_call", "role_assumption", "session", "group_change", "other"] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export type SessionPhase = "start" | "end" | "join" | "leave" | "activity";

export interface SessionPart {
  /** The source's session id (Teleport sid). Events of one session share it. */
  id: string;
  phase: SessionPhase;
  /** When the session began, if this event knows (a start, or an end carrying session_start). */
  startedAt?: Date;
  /** When it ended, if this event knows (an end). */
  endedAt?: Date;
  login?: string | null;
  participants?: string[];
  recordingRef?: string | null;
  target?: string | null;
}

export interface EvidenceEvent {
  /** Unique within the source; the same event sent twice is stored once. */
  eventId: string;
  occurredAt: Date;
  kind: UsageKind;
  /** The source's own name for what happened (session.start, ConsoleLogin, user.session.start). */
  action: string;
  /** The source said it failed (refused sign-in, denied call): kept, but not a use of access. */
  failed: boolean;
  /**
   * Whether the event exercises access (a session, a call, a sign-in). Requests for access and
   * self-service (changing one's own password) are not uses, so never "used without approval".
   */
  use: boolean;
  /** Who, as the application knows them: matched to accounts by user name, then external id. */
  account: { name: string | null; externalId: string | null };
  /** Generic format only: the application this line belongs to (name or id), overriding the request's. */
  application?: string | null;
  /** Entitlement names or external ids the event names (a role, a login), most specific first. */
  entitlementHints: string[];
  target: string | null;
  session?: SessionPart;
  /** access_request.* events: link to the Accord request for the same person and entitlement. */
  linkRequest?: boolean;
  /** The event as received, minus secrets (credentials in responses), kept as evidence. */
  raw: unknown;
}

export type ParseOutcome = { status: "event"; event: EvidenceEvent } | { status: "ignored"; reason: string } | { status: "rejected"; reason: string };

export type FormatParser = (value: unknown) => ParseOutcome;
