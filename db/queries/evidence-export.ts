import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { AUDIT_TABLE, ITEM_TABLES, itemsInScope, ts, type ExportColumn, type ExportScope, type ExportTable } from "./evidence-export-tables";
/** Queries over the export tables defined in evidence-export-tables.ts: row streams, counts, completeness, key figures. */

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
 * "csv": one text column per file column. "json": one column, the row as a JSON object built by
 * PostgreSQL (json_build_object keeps the column order and types), so Node only joins lines.
 */
export type RowShape = "csv" | "json";

function selectList(columns: ExportColumn[], shape: RowShape): string {
  if (shape === "csv") return columns.map((c) => `${c.sql} as ${c.name}`).join(", ");
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

export interface KeyFigures {
  decisions: Record<string, number>;
  bulkDecisions: number;
  medianSecondsPerDecision: number | null;
  decidedUnder5Seconds: number;
  followedRecommendation: number;
  withRecommendation: number;
  revocations: Record<string, number>;
  revocationMedianHoursToVerified: number | null;
}

/** The figures the summary shows, over the same items as the files. */
export async function keyFigures(db: Executor, scope: ExportScope): Promise<KeyFigures> {
  const [row] = await db.execute<{
    decisions: Record<string, number> | null;
    bulk: number;
    median_seconds: number | null;
    under5: number;
    followed: number;
    with_rec: number;
    revocations: Record<string, number> | null;
    median_hours: number | null;
  }>(sql`
    select
      (select jsonb_object_agg(decision, n) from (select r.decision::text decision, count(*)::int n from review_items r
         where ${itemsInScope(scope)} and r.decided_by_id is not null group by 1) d) decisions,
      (select count(*)::int from review_items r where ${itemsInScope(scope)} and r.decided_by_id is not null and r.bulk) bulk,
      (select percentile_cont(0.5) within group (order by r.seconds_spent)::float8 from review_items r
         where ${itemsInScope(scope)} and r.seconds_spent is not null) median_seconds,
      (select count(*)::int from review_items r where ${itemsInScope(scope)} and r.decision = 'certify' and r.seconds_spent < 5) under5,
      (select count(*)::int from review_items r where ${itemsInScope(scope)} and r.decided_by_id is not null and r.recommendation <> 'none'
         and r.recommendation::text = r.decision::text) followed,
      (select count(*)::int from review_items r where ${itemsInScope(scope)} and r.decided_by_id is not null and r.recommendation <> 'none') with_rec,
      (select jsonb_object_agg(status, n) from (select v.status::text status, count(*)::int n from review_items r join revocations v on v.id = r.revocation_id
         where ${itemsInScope(scope)} group by 1) s) revocations,
      (select percentile_cont(0.5) within group (order by extract(epoch from v.verified_at - v.requested_at) / 3600)::float8
         from review_items r join revocations v on v.id = r.revocation_id where ${itemsInScope(scope)} and v.verified_at is not null) median_hours`);
  return {
    decisions: row?.decisions ?? {},
    bulkDecisions: row?.bulk ?? 0,
    medianSecondsPerDecision: row?.median_seconds ?? null,
    decidedUnder5Seconds: row?.under5 ?? 0,
    followedRecommendation: row?.followed ?? 0,
    withRecommendation: row?.with_rec ?? 0,
    revocations: row?.revocations ?? {},
    revocationMedianHoursToVerified: row?.median_hours ?? null,
  };
}

/** The postgres.js transaction behind a drizzle one: drizzle has no cursors, postgres.js does. */
interface CursorClient {
  unsafe(text: string, params: unknown[]): { values(): { cursor(rows: number): AsyncIterable<(string | null)[][]> } };
}

/**
 * Rows of an export query, a batch at a time, from a server-side cursor in the caller's
 * transaction: memory holds one batch whatever the table's size.
 */
export async function* cursorRows(tx: Executor, query: RawQuery, batchSize = 5_000): AsyncGenerator<(string | null)[][]> {
  const client = (tx as unknown as { session: { client: CursorClient } }).session.client;
  const batches = client.unsafe(query.text, query.params).values().cursor(batchSize)[Symbol.asyncIterator]();
  // Ask for the next batch before handing this one on: PostgreSQL reads it while we write this one.
  let next = batches.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = batches.next();
      yield current.value;
    }
  } finally {
    // Stopped early (the download went away): settle the batch in flight, then close the cursor.
    await next.catch(() => undefined);
    await batches.return?.();
  }
}
