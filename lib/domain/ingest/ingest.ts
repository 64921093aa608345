import { findApplicationRef, stageEvents, writeStagedBatch, type StageRow } from "@/db/queries/evidence-ingest";
import { recordAudit, type AuditActor } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import type { EvidenceEvent } from "./event";
import { parseLine, type IngestFormat } from "./formats";
import { ndjsonLines } from "./ndjson";
import { storableJson, storableText } from "./storable";

/**
 * Evidence ingest, shared by POST /api/v1/events and `npm run accord -- ingest`: NDJSON is read
 * as it arrives, each line parsed by the format's parser, and valid events are written in
 * batches, each in its own transaction with its audit row. A bad line is reported and skipped;
 * a batch, once committed, stays (resending the file is safe: repeats count as duplicates).
 */
export const DEFAULT_BATCH_SIZE = 20_000;
export const MAX_LINE_LENGTH = 1024 * 1024;
/** Batches written at once, each in its own transaction and connection: PostgreSQL does most of the work. */
export const WRITERS = 2;
/** Rejected lines listed in the answer; all of them are counted. */
export const LISTED_REJECTIONS = 1_000;

export interface IngestOptions {
  format: IngestFormat;
  /** Namespace of event and session ids: the token's source, or the format's name. */
  source: string;
  /** The application events belong to (generic lines may name their own). */
  applicationId: string | null;
  batchSize?: number;
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  lines: number;
  bytes: number;
  committedThroughLine: number;
}

export interface IngestCounts {
  /** Lines read, blank ones included. */
  lines: number;
  /** New events matched to an identity through their account. */
  accepted: number;
  /** Events already stored (same source and event id), counted once. */
  duplicate: number;
  /** New events stored without an identity: no account, or an orphan account. */
  unmatched: number;
  rejected: number;
  /** Lines the format says are not evidence (terminal output of a recording, …). */
  ignored: number;
  /** Of the accepted: used outside any approved grant or activation window. */
  withoutApproval: number;
}

export interface IngestResult extends IngestCounts {
  rejectedLines: { line: number; reason: string }[];
  /** Every line up to here is committed (or was rejected, ignored or blank). */
  committedThroughLine: number;
}

/** Ingest stopped part-way (database gone, body over the limit): what was committed stays. */
export class IngestInterrupted extends Error {
  constructor(
    message: string,
    public readonly result: IngestResult,
    public readonly reason: "too_large" | "failed",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "IngestInterrupted";
  }
}

interface Pending {
  rows: StageRow[];
  lastLine: number;
}

/** PostgreSQL's codes for "try again": a deadlock or a serialization failure. */
const RETRYABLE = new Set(["40P01", "40001"]);

function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/**
 * Two shippers writing the same application at once can deadlock on the same accounts' last-
 * seen times or sessions; the losing batch rolled back whole, so it is simply run again.
 */
async function retryOnConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !RETRYABLE.has(sqlState(error) ?? "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
}

function stageRow(line: number, e: EvidenceEvent, applicationId: string): StageRow {
  const s = e.session;
  return {
    line_no: line,
    event_id: storableText(e.eventId, 500)!,
    kind: e.kind,
    action: storableText(e.action, 200)!,
    occurred_at: e.occurredAt,
    failed: e.failed,
    is_use: e.use,
    link_request: e.linkRequest ?? false,
    account_name: storableText(e.account.name, 500),
    account_external_id: storableText(e.account.externalId, 500),
    application_id: applicationId,
    hints: e.entitlementHints.slice(0, 20).map((h) => storableText(h, 500)!),
    target: storableText(s?.target ?? e.target, 1000),
    session_id: s ? storableText(s.id, 500) : null,
    session_phase: s?.phase ?? null,
    session_started_at: s?.startedAt ?? null,
    session_ended_at: s?.endedAt ?? null,
    login: storableText(s?.login ?? null, 200),
    participants: (s?.participants ?? []).slice(0, 100).map((p) => storableText(p, 500)!),
    recording_ref: storableText(s?.recordingRef ?? null, 1000),
    raw: storableJson(e.raw),
  };
}

export async function ingestEvents(deps: Deps, actor: AuditActor, options: IngestOptions, body: AsyncIterable<Uint8Array>, limits: { maxBytes?: number } = {}): Promise<IngestResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const result: IngestResult = { lines: 0, accepted: 0, duplicate: 0, unmatched: 0, rejected: 0, ignored: 0, withoutApproval: 0, rejectedLines: [], committedThroughLine: 0 };
  const reject = (line: number, reason: string) => {
    result.rejected++;
    if (result.rejectedLines.length < LISTED_REJECTIONS) result.rejectedLines.push({ line, reason });
  };
  const applications = new Map<string, string | null>();
  const applicationFor = async (ref: string): Promise<string | null> => {
    if (!applications.has(ref)) applications.set(ref, (await findApplicationRef(deps.db, { ref }))?.id ?? null);
    return applications.get(ref)!;
  };

  let bytes = 0;
  let tooLarge = false;
  // Up to WRITERS batches are written at once, each in its own transaction (PostgreSQL does most
  // of the work, one core per connection), while the next is parsed. committedThroughLine moves
  // past a batch only once it and every batch before it have committed. A failure surfaces at the
  // next flush.
  const writing: { lastLine: number; committed: Promise<boolean> }[] = [];
  let failure: unknown = null;

  const write = async (batch: Pending) => {
    const counts = await retryOnConflict(() =>
      deps.db.transaction(async (tx) => {
        await stageEvents(tx, batch.rows);
        const written = await writeStagedBatch(tx, { source: options.source, staged: batch.rows.length });
        await recordAudit(tx, {
          actor,
          action: "evidence.ingested",
          entityType: "evidence_source",
          entityId: options.source,
          after: {
            format: options.format,
            applicationId: options.applicationId,
            fromLine: batch.rows[0]?.line_no,
            toLine: batch.lastLine,
            events: written.staged,
            accepted: written.accepted,
            unmatched: written.unmatched,
            duplicate: written.staged - written.accepted - written.unmatched,
            withoutApproval: written.withoutApproval,
          },
          at: deps.now(),
        });
        return written;
      }),
    );
    result.accepted += counts.accepted;
    result.unmatched += counts.unmatched;
    result.withoutApproval += counts.withoutApproval;
    result.duplicate += counts.staged - counts.accepted - counts.unmatched;
  };
  /** Waits for the oldest batch; false (and committedThroughLine stays) when it failed. */
  const settleOldest = async (): Promise<boolean> => {
    const oldest = writing.shift()!;
    if (!(await oldest.committed)) return false;
    result.committedThroughLine = Math.max(result.committedThroughLine, oldest.lastLine);
    options.onProgress?.({ lines: result.lines, bytes, committedThroughLine: result.committedThroughLine });
    return true;
  };
  /** Every batch in flight finished, in order; committedThroughLine stops before the first that failed. */
  const settleAll = async (): Promise<boolean> => {
    let ok = true;
    while (writing.length) {
      if (ok) ok = await settleOldest();
      else await writing.shift()!.committed;
    }
    return ok;
  };
  const flush = async (batch: Pending) => {
    if (failure) throw failure;
    if (batch.rows.length === 0) {
      writing.push({ lastLine: batch.lastLine, committed: Promise.resolve(true) });
      return;
    }
    while (writing.length >= WRITERS) if (!(await settleOldest())) throw failure;
    const committed = write(batch).then(
      () => true,
      (error: unknown) => {
        failure ??= error;
        return false;
      },
    );
    writing.push({ lastLine: batch.lastLine, committed });
  };

  let pending: Pending = { rows: [], lastLine: 0 };
  try {
    const lines = ndjsonLines(body, {
      maxLineLength: MAX_LINE_LENGTH,
      onBytes: (n) => {
        bytes += n;
        if (limits.maxBytes !== undefined && bytes > limits.maxBytes) tooLarge = true;
      },
    });
    for await (const { line, text, tooLong } of lines) {
      if (tooLarge) break;
      result.lines = line;
      pending.lastLine = line;
      if (tooLong) {
        reject(line, `line longer than ${MAX_LINE_LENGTH / 1024 / 1024} MB`);
        continue;
      }
      const outcome = parseLine(options.format, text);
      if (outcome.status === "rejected") reject(line, outcome.reason);
      else if (outcome.status === "ignored") result.ignored++;
      else {
        const ref = outcome.event.application;
        const applicationId = ref ? await applicationFor(ref) : options.applicationId;
        if (!applicationId)
          reject(line, ref ? `application: no application is named "${ref.slice(0, 100)}"` : "application: name the application (the application parameter, or an application field on the line)");
        else pending.rows.push(stageRow(line, outcome.event, applicationId));
      }
      if (pending.rows.length >= batchSize) {
        await flush(pending);
        pending = { rows: [], lastLine: line };
      }
    }
    await flush(pending);
    if (!(await settleAll())) throw failure;
  } catch (error) {
    // Let the batches being written finish (or fail) so the counts say exactly what is stored.
    await settleAll();
    throw new IngestInterrupted("Ingest stopped part-way; every batch acknowledged before the failure is stored.", result, "failed", { cause: error });
  }
  result.lines = Math.max(result.lines, result.committedThroughLine);
  if (tooLarge)
    throw new IngestInterrupted(`The body is larger than ${limits.maxBytes} bytes; lines up to ${result.committedThroughLine} were ingested. Send the rest in another request.`, result, "too_large");
  return result;
}
