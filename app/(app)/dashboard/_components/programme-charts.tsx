import { ChartCard, DataTable } from "@/components/charts/chart-card";
import { MetricChart } from "@/components/charts/metric-chart";
import { PALETTE } from "@/components/charts/palette";
import { FINDING_KINDS, type FindingKind } from "@/lib/domain/findings/kinds";
import type { Dashboard } from "@/lib/domain/metrics/dashboard";
import type { MetricFilters } from "@/lib/domain/metrics/filters";
import { AGE_LABELS, itemsHref, SEVERITY_LABELS } from "./links";

const fmt = (n: number) => n.toLocaleString("en");
const SEVERITIES = ["critical", "high", "medium", "low"] as const;
const severitySeries = SEVERITIES.map((s, i) => ({ key: s, label: SEVERITY_LABELS[s], color: [PALETTE[4], PALETTE[1], PALETTE[0], PALETTE[2]][i]! }));
const kindLabel = (k: string) => FINDING_KINDS[k as FindingKind]?.label ?? k;

export function CampaignCharts({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  const c = d.campaigns;
  const last = c.completion[c.completion.length - 1];
  const summary =
    last && last.items > 0
      ? `${fmt(last.decided)} of ${fmt(last.items)} review items decided by ${last.day} (${last.completion}%); ${fmt(c.overdue)} overdue.`
      : "No certification campaign ran in this period.";
  const recSummary = c.byRecommendation
    .filter((r) => r.followed + r.other > 0)
    .map((r) => `recommended ${r.recommendation}: ${r.followed} followed, ${r.other} not`)
    .join("; ");
  const launched = itemsHref(filters, { metric: "campaign", view: "launched", day: "__X__" });
  return (
    <>
      <ChartCard
        id="campaign-completion"
        title="Access reviews: how far along they are"
        description="Share of the review items decided, day by day, across the certification campaigns running in the period."
        asOf={c.asOf}
        empty={c.items ? null : "No certification campaign ran in this period and scope."}
        chart={
          <MetricChart
            kind="line"
            data={c.completion.map((x) => ({ day: x.day, completion: x.completion }))}
            xKey="day"
            series={[{ key: "completion", label: "Decided", color: PALETTE[2] }]}
            xLabel="Day (UTC)"
            yLabel="Items decided"
            unit="%"
            max={100}
            summary={summary}
            hrefTemplate={launched}
          />
        }
        table={
          <DataTable
            caption="Review items launched and decided by each day"
            headers={["Day", "Items", "Decided", "Completion"]}
            rows={[...c.completion]
              .reverse()
              .map((x) => [
                x.day,
                { text: x.items, href: launched.replace("__X__", x.day) },
                { text: x.decided, href: itemsHref(filters, { metric: "campaign", view: "launched", day: x.day, decided: "1" }) },
                x.completion === null ? null : `${x.completion}%`,
              ])}
          />
        }
        links={[{ href: itemsHref(filters, { metric: "campaign", view: "overdue" }), label: `${fmt(c.overdue)} overdue review items` }]}
      />
      <ChartCard
        id="campaign-recommendations"
        title="Do reviewers follow the recommendation?"
        description="Decisions made in the period, by what Accord recommended: followed (the same decision) or not. A reviewer who always certifies what was recommended for revocation is worth a look."
        asOf={c.asOf}
        empty={c.byRecommendation.some((r) => r.followed + r.other > 0) ? null : "No review decisions in this period and scope."}
        chart={
          <MetricChart
            kind="bar"
            stacked
            data={c.byRecommendation
              .filter((r) => r.recommendation !== "none")
              .map((r) => ({ recommendation: r.recommendation, label: `Recommended ${r.recommendation}`, followed: r.followed, other: r.other }))}
            xKey="label"
            linkKey="recommendation"
            series={[
              { key: "followed", label: "Followed", color: PALETTE[2] },
              { key: "other", label: "Decided otherwise", color: PALETTE[1] },
            ]}
            xLabel="Recommendation"
            yLabel="Decisions"
            summary={recSummary || "No decisions in the period."}
            hrefTemplate={itemsHref(filters, { metric: "campaign", view: "recommendation", recommendation: "__X__", followed: "__S__" })}
          />
        }
        table={
          <DataTable
            caption="Decisions by recommendation"
            headers={["Recommendation", "Followed", "Decided otherwise", "Followed share"]}
            rows={c.byRecommendation.map((r) => [
              r.recommendation,
              { text: r.followed, href: itemsHref(filters, { metric: "campaign", view: "recommendation", recommendation: r.recommendation, followed: "followed" }) },
              { text: r.other, href: itemsHref(filters, { metric: "campaign", view: "recommendation", recommendation: r.recommendation, followed: "other" }) },
              r.followedShare === null ? null : `${r.followedShare}%`,
            ])}
          />
        }
      />
    </>
  );
}

export function RevocationChart({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  const r = d.revocations;
  const summary = r.verified
    ? `${fmt(r.verified)} revocations verified in the period: median ${r.medianHours} hours from decision to verified, 90th percentile ${r.p90Hours} hours. ${fmt(r.failed)} failed, ${fmt(r.overdue)} overdue.`
    : `No revocation was verified in the period. ${fmt(r.failed)} failed, ${fmt(r.overdue)} overdue.`;
  return (
    <ChartCard
      id="revocations"
      title="Revocations: how long until access is really gone"
      description={`Hours from the decision reaching the revocation pipeline to removal verified in the target, by week of verification. Over the period: median ${r.medianHours ?? "—"} h, 90th percentile ${r.p90Hours ?? "—"} h. Now: ${fmt(r.failed)} failed, ${fmt(r.overdue)} past their SLA.`}
      asOf={r.asOf}
      empty={r.weeks.length ? null : "No revocation was verified in this period and scope."}
      chart={
        <MetricChart
          kind="bar"
          data={r.weeks}
          xKey="week"
          series={[
            { key: "medianHours", label: "Median", color: PALETTE[0] },
            { key: "p90Hours", label: "90th percentile", color: PALETTE[1] },
          ]}
          xLabel="Week of verification (Monday, UTC)"
          yLabel="Hours to verified"
          unit=" h"
          summary={summary}
          hrefTemplate={itemsHref(filters, { metric: "revocation", view: "verified", week: "__X__" })}
        />
      }
      table={
        <DataTable
          caption="Time from decision to verified revocation, per week"
          headers={["Week", "Verified", "Median h", "90th percentile h"]}
          rows={r.weeks.map((w) => [w.week, { text: w.verified, href: itemsHref(filters, { metric: "revocation", view: "verified", week: w.week }) }, w.medianHours, w.p90Hours])}
        />
      }
      links={[
        { href: itemsHref(filters, { metric: "revocation", view: "verified" }), label: `${fmt(r.verified)} verified in the period` },
        { href: itemsHref(filters, { metric: "revocation", view: "failed" }), label: `${fmt(r.failed)} failed` },
        { href: itemsHref(filters, { metric: "revocation", view: "overdue" }), label: `${fmt(r.overdue)} overdue` },
      ]}
    />
  );
}

export function FindingCharts({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  const f = d.findings;
  const total = (x: Record<(typeof SEVERITIES)[number], number>) => SEVERITIES.reduce((n, s) => n + x[s], 0);
  const summaryKind = f.open
    ? `${fmt(f.open)} open findings. Most common: ${f.byKind
        .slice(0, 3)
        .map((k) => `${kindLabel(k.kind)} (${fmt(total(k))})`)
        .join(", ")}.`
    : "No open findings.";
  const summaryAge = `${f.byAge.map((a) => `${fmt(total(a))} ${AGE_LABELS[a.age as keyof typeof AGE_LABELS].toLowerCase()} old`).join(", ")}.`;
  return (
    <>
      <ChartCard
        id="findings-kind"
        title="Open findings by kind and severity"
        description="Drift between approval, live access and evidence that is still open (exceptions accepted until a date are left out), now."
        asOf={f.asOf}
        empty={f.open ? null : "No open findings in this scope."}
        chart={
          <MetricChart
            kind="bar"
            horizontal
            stacked
            data={f.byKind.map((k) => ({ ...k, label: kindLabel(k.kind) }))}
            xKey="label"
            linkKey="kind"
            series={severitySeries}
            xLabel="Kind"
            yLabel="Open findings"
            summary={summaryKind}
            height={Math.max(200, 48 + f.byKind.length * 36)}
            hrefTemplate={itemsHref(filters, { metric: "finding", findingKind: "__X__", severity: "__S__" })}
          />
        }
        table={
          <DataTable
            caption="Open findings by kind and severity"
            headers={["Kind", "Critical", "High", "Medium", "Low", "All"]}
            rows={f.byKind.map((k) => [
              kindLabel(k.kind),
              ...SEVERITIES.map((s) => ({ text: k[s], href: itemsHref(filters, { metric: "finding", findingKind: k.kind, severity: s }) })),
              { text: total(k), href: itemsHref(filters, { metric: "finding", findingKind: k.kind }) },
            ])}
          />
        }
        links={[{ href: itemsHref(filters, { metric: "finding" }), label: `All ${fmt(f.open)} open findings` }]}
      />
      <ChartCard
        id="findings-age"
        title="How long findings stay open"
        description="Open findings by whole days since first seen, by severity."
        asOf={f.asOf}
        chart={
          <MetricChart
            kind="bar"
            stacked
            data={f.byAge.map((a) => ({ ...a, label: AGE_LABELS[a.age as keyof typeof AGE_LABELS] }))}
            xKey="label"
            linkKey="age"
            series={severitySeries}
            xLabel="Open for"
            yLabel="Open findings"
            summary={summaryAge}
            hrefTemplate={itemsHref(filters, { metric: "finding", age: "__X__", severity: "__S__" })}
          />
        }
        table={
          <DataTable
            caption="Open findings by age and severity"
            headers={["Open for", "Critical", "High", "Medium", "Low", "All"]}
            rows={f.byAge.map((a) => [AGE_LABELS[a.age as keyof typeof AGE_LABELS], ...SEVERITIES.map((s) => a[s]), { text: total(a), href: itemsHref(filters, { metric: "finding", age: a.age }) }])}
          />
        }
      />
    </>
  );
}

export function DiligenceChart({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  if (!d.diligence) return null;
  const g = d.diligence;
  const summary = g.rows.length
    ? `${g.reviewers} reviewers decided in the period. ${g.rows
        .slice(0, 3)
        .map((r) => `${r.reviewerName}: ${r.decisions} decisions, median ${r.medianSeconds ?? "—"} s, ${r.bulkShare}% bulk, ${r.certifiedShare}% certified`)
        .join("; ")}.`
    : "No review decisions in the period.";
  const href = itemsHref(filters, { metric: "reviewer", reviewer: "__X__" });
  return (
    <ChartCard
      id="diligence"
      title="Reviewer diligence: the rubber-stamp signal"
      description="Per reviewer and over all reviewers, over decisions made in the period: median seconds per decision, share made in bulk, share that certified, and the share of certifications made in bulk or in under 5 seconds. Shown to admins and auditors only."
      asOf={g.asOf}
      empty={g.rows.length ? null : "No review decisions in this period."}
      chart={
        <MetricChart
          kind="bar"
          horizontal
          data={g.rows.map((r) => ({ reviewer: r.reviewerName, id: r.reviewerId, bulkShare: r.bulkShare, certifiedShare: r.certifiedShare, quickCertifyShare: r.quickCertifyShare }))}
          xKey="reviewer"
          linkKey="id"
          series={[
            { key: "certifiedShare", label: "Certified", color: PALETTE[0] },
            { key: "bulkShare", label: "Bulk", color: PALETTE[1] },
            { key: "quickCertifyShare", label: "Certified in bulk or < 5 s", color: PALETTE[4] },
          ]}
          xLabel="Reviewer"
          yLabel="Share of decisions"
          unit="%"
          summary={summary}
          height={Math.max(200, 48 + g.rows.length * 44)}
          hrefTemplate={href}
        />
      }
      table={
        <DataTable
          caption="Reviewer diligence"
          headers={["Reviewer", "Decisions", "Median seconds", "Bulk", "Certified", "Certified in bulk or < 5 s"]}
          rows={[
            ...g.rows.map((r) => [
              { text: r.reviewerName, href: href.replace("__X__", r.reviewerId) },
              r.decisions,
              r.medianSeconds,
              `${r.bulkShare}%`,
              `${r.certifiedShare}%`,
              `${r.quickCertifyShare}%`,
            ]),
            [
              { text: "All reviewers", href: itemsHref(filters, { metric: "reviewer" }) },
              g.all.decisions,
              g.all.medianSeconds,
              `${g.all.bulkShare}%`,
              `${g.all.certifiedShare}%`,
              `${g.all.quickCertifyShare}%`,
            ],
          ]}
        />
      }
    />
  );
}
