/**
 * The machine's own limits, measured on the same server and data before any Accord figure:
 * PostgreSQL alone copying usage-event rows in and out, and a primary-key lookup's round trip.
 * Absolute times vary between machines and runs; the ratio to these says how close Accord is to
 * what the hardware allows.
 */
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { median, percentile, type MachineLimits } from "./figures";

/** A sink that counts and drops bytes, as a client reading at full speed would. */
export function countingSink() {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { sink, bytes: () => bytes };
}

/** Raw COPY TO STDOUT of a query, in rows per second. */
export async function copyToRate(sql: postgres.Sql, query: string, rows: number, format: "csv" | "text" = "csv"): Promise<number> {
  const { sink } = countingSink();
  const started = performance.now();
  await pipeline(await sql.unsafe(`copy (${query}) to stdout with (format ${format})`).readable(), sink);
  return rows / ((performance.now() - started) / 1000);
}

/**
 * Raw COPY FROM STDIN of `text` (CSV rows read earlier from `table`) into a fresh table like it,
 * with the same indexes, in rows per second; the table is dropped afterwards.
 */
export async function copyFromRate(sql: postgres.Sql, table: string, text: Buffer, rows: number): Promise<number> {
  const scratch = `bench_copy_${table}`;
  await sql.unsafe(`drop table if exists ${scratch}`);
  await sql.unsafe(`create table ${scratch} (like ${table} including defaults including indexes)`);
  try {
    const started = performance.now();
    const writable = await sql.unsafe(`copy ${scratch} from stdin with (format csv)`).writable();
    await new Promise<void>((resolve, reject) => {
      writable.on("error", reject);
      writable.on("finish", resolve);
      writable.end(text);
    });
    return rows / ((performance.now() - started) / 1000);
  } finally {
    await sql.unsafe(`drop table if exists ${scratch}`);
  }
}

async function readCsv(sql: postgres.Sql, query: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = await sql.unsafe(`copy (${query}) to stdout with (format csv)`).readable();
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function measureLimits(url: string, options: { rows: number; runs: number }): Promise<MachineLimits & { rows: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = (await sql`select least(count(*), ${options.rows})::int n from usage_events`) as unknown as [{ n: number }];
    const sample = `select * from usage_events order by id limit ${n}`;
    const text = await readCsv(sql, sample);
    const copyTo: number[] = [];
    const copyFrom: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      copyTo.push(await copyToRate(sql, sample, n));
      copyFrom.push(await copyFromRate(sql, "usage_events", text, n));
    }
    // Random grants by primary key, one round trip each: the cheapest thing a page can ask for.
    const ids = (await sql<{ id: string }[]>`select id from grants tablesample system (1) limit 500`).map((r) => r.id);
    const lookups: number[] = [];
    for (const id of ids.length ? ids : []) {
      const started = performance.now();
      await sql`select * from grants where id = ${id}`;
      lookups.push(performance.now() - started);
    }
    return { copyToRowsPerSecond: median(copyTo), copyFromRowsPerSecond: median(copyFrom), pkLookupMs: percentile(lookups, 0.5), rows: n };
  } finally {
    await sql.end();
  }
}
