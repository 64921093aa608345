import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { AUDIT_TABLE, ITEM_TABLES, itemsInScope, ts, type ExportColumn, type ExportScope, type ExportTable } from "./evidence-export-tables";
/** Queries over the export tables defined in evidence-export-tables.ts: row streams, counts, completeness. (The summary's key figures are the dashboard's: lib/domain/evidence-export/key-figures.ts.) */

const dialect = new PgDialect();

export interface RawQuery {
  text: string;
  params: unknown[];
}

function compile(query: SQL): RawQuery {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { text, params };
}

/**
 * "csv": one text column per file column, an empty string written like no value (an empty cell).
 * "json": one column, the row as a JSON object built by PostgreSQL (json_build_object keeps the
 * column order and types), so Node only joins lines.
 */
export type RowShape = "csv" | "json";

function selectList(columns: ExportColumn[], shape: RowShape): string {
  if (shape === "csv") return columns.map((c) => `nullif(${c.sql}, '') as ${c.name}`).join(", ");
  // json_build_object takes at most 100 arguments: 50 columns (a test holds every table to it).
  return `json_build_object(${columns.map((c) => `'${c.name}', ${c.json}`).join(", ")})::text`;
}

export function itemTableQuery(table: ExportTable, scope: ExportScope, shape: RowShape = "csv"): RawQuery {
  return compile(sql`select ${sql.raw(selectList(table.columns, shape))} from ${sql.raw(table.from)} where ${itemsInScope(scope)} order by ${sql.raw(table.order)}`);
}

export function auditSegmentQuery(range: { fromId: number; toId: number }, shape: RowShape = "csv"): RawQuery {
  return compile(sql`select ${sql.raw(selectList(AUDIT_TABLE.columns, shape))} from audit_events a where a.id >= ${range.fromId} and a.id <= ${range.toId} order by a.id`);
}

/** Rows each table will have, for the preview and the progress bar. */
export async function countExportRows(db: Executor, scope: ExportScope): Promise<Record<string, number>> {
  const parts = ITEM_TABLES.map((t) => sql`(select count(*) from ${sql.raw(t.from)} where ${itemsInScope(scope)})::int as ${sql.identifier(t.name)}`);
  const [row] = await db.execute<Record<string, number>>(sql`select ${sql.join(parts, sql`, `)}`);
  return row ?? {};
}

export async function countAuditSegment(db: Executor, range: { fromId: number; toId: number }): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int n from audit_events where id >= ${range.fromId} and id <= ${range.toId}`);
  return row?.n ?? 0;
}

export interface CampaignCompleteness {
  campaignId: string;
  campaignName: string;
  campaignStatus: string;
  adHoc: boolean;
  launchedAt: string | null;
  /** Grants the campaign's scope selected when it launched, as recorded then; null when not recorded. */
  grantsInScopeAtLaunch: number | null;
  grantsInScopeSource: "launch_started" | "launched" | "ad_hoc" | "not_recorded";
  items: number;
  decided: number;
  undecided: number;
  secondStageItems: number;
  secondStageDecided: number;
}

/** Per campaign in scope: the launch's population beside its first-stage items, decided and not. */
export async function campaignCompleteness(db: Executor, scope: ExportScope): Promise<CampaignCompleteness[]> {
  const rows = await db.execute<{
    campaign_id: string;
    campaign_name: string;
    campaign_status: string;
    ad_hoc: boolean;
    launched_at: string | null;
    expected_started: number | null;
    expected_launched: number | null;
    items: number;
    decided: number;
    undecided: number;
    second_items: number;
    second_decided: number;
  }>(sql`
    with counts as (
      select r.campaign_id,
        count(*) filter (where r.stage = 1)::int items,
        count(*) filter (where r.stage = 1 and r.decided_by_id is not null)::int decided,
        count(*) filter (where r.stage = 1 and r.decided_by_id is null)::int undecided,
        count(*) filter (where r.stage > 1)::int second_items,
        count(*) filter (where r.stage > 1 and r.decided_by_id is not null)::int second_decided
      from review_items r where ${itemsInScope(scope)} group by r.campaign_id
    )
    select c.id campaign_id, c.name campaign_name, c.status::text campaign_status, c.ad_hoc,
      ${sql.raw(ts("coalesce(c.launched_at, c.starts_at)"))} launched_at,
      (select (a.after ->> 'expectedItems')::int from audit_events a where a.entity_type = 'campaign' and a.entity_id = c.id::text
        and a.action = 'campaign.launch_started' order by a.id desc limit 1) expected_started,
      (select (a.after ->> 'items')::int from audit_events a where a.entity_type = 'campaign' and a.entity_id = c.id::text
        and a.action = 'campaign.launched' order by a.id desc limit 1) expected_launched,
      k.items, k.decided, k.undecided, k.second_items, k.second_decided
    from counts k join campaigns c on c.id = k.campaign_id
    order by c.id`);
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    campaignStatus: r.campaign_status,
    adHoc: r.ad_hoc,
    launchedAt: r.launched_at,
    grantsInScopeAtLaunch: r.ad_hoc ? r.items : (r.expected_started ?? r.expected_launched),
    grantsInScopeSource: r.ad_hoc ? "ad_hoc" : r.expected_started !== null ? "launch_started" : r.expected_launched !== null ? "launched" : "not_recorded",
    items: r.items,
    decided: r.decided,
    undecided: r.undecided,
    secondStageItems: r.second_items,
    secondStageDecided: r.second_decided,
  }));
}

/** The postgres.js transaction behind a drizzle one: drizzle has no COPY, postgres.js does. */
interface CopyClient {
  unsafe(text: string): Promise<unknown> & { readable(): Promise<Readable>; resolve(value: unknown): void };
}

/** COPY takes no bind parameters, so the query's own values (ids, ISO dates, row ids) go in as literals, escaped. */
function inlineParameters(query: RawQuery): string {
  return query.text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.params[Number(n) - 1];
    if (value === null) return "null";
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    // An escape string (E'...') means the same whatever standard_conforming_strings says.
    if (typeof value === "string") return `E'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
    throw new Error(`export query: cannot write parameter $${n} (${typeof value}) as a literal`);
  });
}

const BACKSLASH = 0x5c;
/** The escapes COPY's text format writes (it never writes octal or hex ones). */
const COPY_ESCAPES: Record<number, number> = { 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x76: 0x0b };

/**
 * One row of a one-column COPY in text format (its bytes, line end included) back to the value's
 * bytes: backslash escapes undone. Most rows hold no backslash and come back as they are.
 */
export function copyTextValue(line: Buffer): Buffer {
  const end = line.at(-1) === 0x0a ? line.length - 1 : line.length;
  const first = line.indexOf(BACKSLASH);
  if (first === -1 || first >= end) return line.subarray(0, end);
  const out = Buffer.allocUnsafe(end);
  let o = line.copy(out, 0, 0, first);
  for (let i = first; i < end; i++) {
    const b = line[i]!;
    if (b === BACKSLASH && i + 1 < end) {
      const next = line[++i]!;
      out[o++] = COPY_ESCAPES[next] ?? next;
    } else out[o++] = b;
  }
  return out.subarray(0, o);
}

/**
 * Rows of an export query as PostgreSQL writes them with COPY ... TO STDOUT in the caller's
 * transaction (so from its snapshot): for "csv", each row a CSV record with its line end (RFC 4180
 * quoting by PostgreSQL); for "json", each row its JSON document. PostgreSQL sends one CopyData
 * message per row (a protocol guarantee) and postgres.js pushes each as one chunk, which a
 * flowing stream hands on one by one (a paused one's read() would join them), so rows are
 * counted without parsing. Rows stay bytes, never JavaScript strings or objects, and are handed on
 * in batches of about `batchBytes`; two batches ahead, the stream is paused (and with it the
 * socket), so memory holds a few batches whatever the size of the export.
 */
export async function* exportRows(tx: Executor, query: RawQuery, shape: RowShape, batchBytes = 256 * 1024): AsyncGenerator<Buffer[]> {
  const client = (tx as unknown as { session: { client: CopyClient } }).session.client;
  const copy = client.unsafe(`copy (${inlineParameters(query)}) to stdout with (format ${shape === "csv" ? "csv" : "text"})`);
  const ready: Buffer[][] = [];
  let batch: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  // A server error (a cancel, a lost connection, a failing expression) destroys the stream with it.
  // A short COPY and its error can arrive in one socket read: postgres.js then hands the stream
  // over and destroys it in the same tick, and the error is emitted before an awaiting caller
  // resumes. So the listener goes on as the stream is handed over, or the error would be uncaught
  // and the export would wait forever for an end that never comes.
  // (The query resolves twice: with the stream, then with its result when the COPY completes.)
  const handOver = copy.resolve;
  copy.resolve = (handed) => {
    if (handed instanceof Readable)
      handed.on("error", (error) => {
        failure = error;
        signal();
      });
    handOver(handed);
  };
  const stream = await copy.readable();
  stream.on("data", (row: Buffer) => {
    const value = shape === "csv" ? row : copyTextValue(row);
    batch.push(value);
    bytes += value.length;
    if (bytes < batchBytes) return;
    ready.push(batch);
    batch = [];
    bytes = 0;
    if (ready.length >= 2) stream.pause();
    signal();
  });
  stream.on("end", () => {
    if (batch.length) ready.push(batch);
    ended = true;
    signal();
  });
  try {
    for (;;) {
      if (failure) throw failure;
      const next = ready.shift();
      if (next) {
        if (ready.length < 2) stream.resume();
        yield next;
      } else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // Stopped early (the download went away): never destroy the stream (postgres.js would keep the
    // socket paused and the connection stuck mid-COPY); read the rest and drop it, so the
    // connection is free for the transaction's rollback.
    if (!ended && !failure) {
      stream.removeAllListeners("data");
      stream.resume();
      await finished(stream).catch(() => undefined);
    }
  }
}
