import type { RevocationWork } from "@/db/queries/revocations";

/** One HTTP (or other) exchange with the target, kept as a receipt with secrets redacted. */
export interface Exchange {
  phase: string;
  request: Record<string, unknown> | null;
  response: Record<string, unknown> | null;
  outcome: "ok" | "error" | "pending";
  error: string | null;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * A failure talking to the target. `retryable` failures (5xx, 429, timeouts, resets) are retried
 * with backoff; the others (no mapping, 4xx, bad credentials) fail at once, since repeating them
 * cannot succeed and an owner must fix something.
 */
export class ConnectorError extends Error {
  constructor(
    message: string,
    public readonly retryable: boolean,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}

export interface ConnectorContext {
  work: RevocationWork;
  config: Record<string, unknown>;
  /** The connector's secret, opened for this run only; never logged, stored or returned. */
  secret: string | null;
  now: () => Date;
  /** Where a webhook receiver confirms, and the bearer token that authenticates it. */
  callback: { url: string; token: string };
  /** Keeps one exchange as a receipt, at once: a run that dies later still leaves its evidence. */
  record: (exchange: Exchange) => Promise<void>;
}

/** What the target says about the access: gone, still there, or it cannot be read (wait for a callback). */
export type ReadBack = "absent" | "present" | "unknown";

export interface Connector {
  /** Sends the removal; resolves when the target accepted it. Safe to repeat (idempotent). */
  apply(ctx: ConnectorContext): Promise<void>;
  /** Reads the target back. */
  readBack(ctx: ConnectorContext): Promise<ReadBack>;
}
