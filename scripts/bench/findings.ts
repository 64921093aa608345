/**
 * Issue 7's figure: a full recompute of every drift finding. Its rate is the rows the detectors
 * read (every grant and activation, the evidence window's events and sessions) per second,
 * beside PostgreSQL's raw COPY TO of rows shaped like them.
 */
import { sql } from "drizzle-orm";
import { recomputeFindings } from "@/lib/domain/findings/recompute";
import { env } from "@/lib/env";
import { withDeps, type Section } from "./context";
import { median } from "./figures";

export const findingsSection: Section = (ctx) =>
  withDeps(ctx.url, async (deps) => {
    const days = env().ACCORD_FINDINGS_EVIDENCE_DAYS;
    const [{ rows }] = (await deps.db.execute<{ rows: number }>(sql`
      select ((select count(*) from grants) + (select count(*) from activations)
        + (select count(*) from usage_events where occurred_at >= now() - make_interval(days => ${days}))
        + (select count(*) from privileged_sessions where started_at >= now() - make_interval(days => ${days})))::bigint::float8 rows`)) as unknown as [{ rows: number }];
    const seconds: number[] = [];
    let found = 0;
    for (let run = 0; run < Math.min(ctx.runs, 3); run++) {
      const summary = await recomputeFindings(deps, "system");
      seconds.push(summary.durationMs / 1000);
      found = Object.values(summary.found).reduce((a, b) => a + b, 0);
      ctx.log(`  recompute ${run + 1}: ${(summary.durationMs / 1000).toFixed(1)} s, ${found.toLocaleString("en")} found, ${summary.opened} opened`);
    }
    return [
      {
        id: "findings_recompute",
        label: "drift findings, full recompute",
        unit: "s",
        value: median(seconds),
        samples: seconds,
        limit: "copyToRowsPerSecond",
        rowsPerSecond: rows / median(seconds),
        target: { on: "value", op: "<=", value: 60 },
        note: `${Math.round(rows).toLocaleString("en")} rows read, ${found.toLocaleString("en")} findings`,
      },
    ];
  });
