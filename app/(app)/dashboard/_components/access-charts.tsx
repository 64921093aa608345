import { ChartCard, DataTable } from "@/components/charts/chart-card";
import { MetricChart } from "@/components/charts/metric-chart";
import { PALETTE } from "@/components/charts/palette";
import type { Dashboard } from "@/lib/domain/metrics/dashboard";
import type { MetricFilters } from "@/lib/domain/metrics/filters";
import { CATEGORY_LABELS, itemsHref, KIND_LABELS, NHI_LABELS, UNUSED_LABELS } from "./links";

const CATEGORIES = ["human", "non_human", "third_party"] as const;
const categorySeries = CATEGORIES.map((c, i) => ({ key: c, label: CATEGORY_LABELS[c], color: PALETTE[i]! }));
const fmt = (n: number) => n.toLocaleString("en");

export function StandingChart({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  const days = d.standing.days;
  const total = (x: (typeof days)[number]) => x.grants.human + x.grants.non_human + x.grants.third_party;
  const first = days[0];
  const last = days[days.length - 1];
  const hours = (x: (typeof days)[number]) => Math.round(x.hours.human + x.hours.non_human + x.hours.third_party);
  const summary =
    first && last
      ? `Standing privileged grants went from ${fmt(total(first))} on ${first.day} to ${fmt(total(last))} on ${last.day} (${fmt(last.grants.human)} humans, ${fmt(last.grants.non_human)} non-human identities, ${fmt(last.grants.third_party)} third parties).`
      : "No days in the period.";
  const href = itemsHref(filters, { metric: "standing", day: "__X__" });
  return (
    <ChartCard
      id="standing"
      title="How much standing privilege remains"
      description="Privileged access that is always on, counted on each day it was in force, by who holds it. The goal is a falling line."
      asOf={d.standing.asOf}
      chart={
        <MetricChart
          kind="area"
          stacked
          data={days.map((x) => ({ day: x.day, ...x.grants }))}
          xKey="day"
          series={categorySeries}
          xLabel="Day (UTC)"
          yLabel="Grants"
          summary={summary}
          hrefTemplate={href}
        />
      }
      table={
        <DataTable
          caption="Standing privileged grants and privilege-hours available per day"
          headers={["Day", "Humans", "Non-human", "Third parties", "All grants", "Privilege-hours"]}
          rows={[...days].reverse().map((x) => [x.day, x.grants.human, x.grants.non_human, x.grants.third_party, { text: total(x), href: href.replace("__X__", x.day) }, hours(x)])}
        />
      }
      links={last ? [{ href: href.replace("__X__", last.day), label: `The ${fmt(total(last))} standing privileged grants on ${last.day}` }] : []}
    />
  );
}

export function StandingHoursChart({ d }: { d: Dashboard }) {
  const days = d.standing.days;
  const last = days[days.length - 1];
  const summary = last
    ? `On ${last.day}: ${fmt(Math.round(last.hours.human))} privilege-hours held by humans, ${fmt(Math.round(last.hours.non_human))} by non-human identities, ${fmt(Math.round(last.hours.third_party))} by third parties.`
    : "No days in the period.";
  return (
    <ChartCard
      id="standing-hours"
      title="Standing privilege-hours available per day"
      description="Hours in which standing privileged access could be used, each day (a grant starting or ending mid-day counts its hours that day; today counts up to now)."
      asOf={d.standing.asOf}
      chart={
        <MetricChart
          kind="bar"
          stacked
          data={days.map((x) => ({ day: x.day, ...x.hours }))}
          xKey="day"
          series={categorySeries}
          xLabel="Day (UTC)"
          yLabel="Privilege-hours"
          unit=" h"
          summary={summary}
        />
      }
      table={
        <DataTable
          caption="Standing privilege-hours per day"
          headers={["Day", "Humans", "Non-human", "Third parties"]}
          rows={[...days].reverse().map((x) => [x.day, x.hours.human, x.hours.non_human, x.hours.third_party])}
        />
      }
    />
  );
}

export function ShareChart({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  const days = d.share.days;
  const first = days[0];
  const last = days[days.length - 1];
  const summary =
    first && last
      ? `Standing access was ${first.share.standing}% of privilege-hours available on ${first.day} and ${last.share.standing}% on ${last.day}; just-in-time ${last.share.eligible}%, time-bound ${last.share.time_bound}%.`
      : "No days in the period.";
  const series = (["standing", "time_bound", "eligible"] as const).map((k, i) => ({ key: k, label: KIND_LABELS[k], color: PALETTE[i]! }));
  const href = itemsHref(filters, { metric: "share", day: "__X__", kind: "standing" });
  return (
    <ChartCard
      id="share"
      title="Standing, time-bound and just-in-time: share of privileged access"
      description="Each kind's share of the privilege-hours available per day. Just-in-time counts only its activation windows. The goal is the standing share falling."
      asOf={d.share.asOf}
      chart={
        <MetricChart
          kind="area"
          stacked
          data={days.map((x) => ({ day: x.day, ...x.share }))}
          xKey="day"
          series={series}
          xLabel="Day (UTC)"
          yLabel="Share of privilege-hours"
          unit="%"
          max={100}
          summary={summary}
          hrefTemplate={href}
        />
      }
      table={
        <DataTable
          caption="Privilege-hours available per day by kind"
          headers={["Day", "Standing h", "Time-bound h", "Just-in-time h", "Standing share"]}
          rows={[...days]
            .reverse()
            .map((x) => [
              x.day,
              { text: x.hours.standing, href: itemsHref(filters, { metric: "share", day: x.day, kind: "standing" }) },
              { text: x.hours.time_bound, href: itemsHref(filters, { metric: "share", day: x.day, kind: "time_bound" }) },
              { text: x.hours.eligible, href: itemsHref(filters, { metric: "share", day: x.day, kind: "eligible" }) },
              `${x.share.standing}%`,
            ])}
        />
      }
      links={last ? [{ href: itemsHref(filters, { metric: "share", day: last.day, kind: "eligible" }), label: `Just-in-time access used on ${last.day}` }] : []}
    />
  );
}

export function ContainmentChart({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  const { top, applications } = d.containment;
  const summary = top[0]
    ? `Largest gap: ${top[0].applicationName}, ${fmt(Math.round(top[0].available))} privilege-hours available and ${fmt(Math.round(top[0].used))} used. ${applications} applications had privileged access in the period.`
    : "No privileged access was available in the period.";
  const href = itemsHref(filters, { metric: "containment", app: "__X__" });
  return (
    <ChartCard
      id="containment"
      title="Privilege available but not used, by application"
      description="Privilege-hours available over the period against hours used in privileged sessions (overlapping sessions counted once). The difference is the containment gap: access that could be made just-in-time. Largest gap first."
      asOf={d.containment.asOf}
      empty={top.length ? null : "No privileged access was available in this period and scope."}
      chart={
        <MetricChart
          kind="bar"
          horizontal
          data={top.map((r) => ({ application: r.applicationName, id: r.applicationId, available: r.available, used: r.used }))}
          xKey="application"
          series={[
            { key: "available", label: "Available", color: PALETTE[0] },
            { key: "used", label: "Used", color: PALETTE[1] },
          ]}
          xLabel="Application"
          yLabel="Privilege-hours"
          unit=" h"
          summary={summary}
          height={Math.max(200, 48 + top.length * 40)}
          hrefTemplate={href}
          linkKey="id"
        />
      }
      table={
        <DataTable
          caption="Privilege-hours available and used by application, largest gap first"
          headers={["Application", "Available h", "Used h", "Gap h", "Utilisation"]}
          rows={top.map((r) => [{ text: r.applicationName, href: href.replace("__X__", r.applicationId) }, r.available, r.used, r.gap, r.utilisation === null ? null : `${r.utilisation}%`])}
        />
      }
      links={top[0] ? [{ href: href.replace("__X__", top[0].applicationId), label: `Privileged grants in ${top[0].applicationName}` }] : []}
    />
  );
}

export function UnusedChart({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  const { buckets } = d.unused;
  const sum = (b: (typeof buckets)[number]) => b.grants.human + b.grants.non_human + b.grants.third_party;
  const unused = buckets.filter((b) => b.bucket !== "in_use");
  const summary = `${unused.map((b) => `${fmt(sum(b))} ${UNUSED_LABELS[b.bucket].toLowerCase()}`).join(", ")}; ${fmt(sum(buckets[0]!))} used in the last 30 days.`;
  const href = itemsHref(filters, { metric: "unused", bucket: "__X__", category: "__S__" });
  return (
    <ChartCard
      id="unused"
      title="Standing privilege nobody uses"
      description="Standing privileged grants in force at the end of the period, by days since last use (a session or successful usage event; never used counts from the grant)."
      asOf={d.unused.asOf}
      chart={
        <MetricChart
          kind="bar"
          stacked
          data={buckets.map((b) => ({ bucket: b.bucket, label: UNUSED_LABELS[b.bucket], ...b.grants }))}
          xKey="label"
          linkKey="bucket"
          series={categorySeries}
          xLabel="Days since last use"
          yLabel="Grants"
          summary={summary}
          hrefTemplate={href}
        />
      }
      table={
        <DataTable
          caption="Standing privileged grants by days since last use"
          headers={["Since last use", "Humans", "Non-human", "Third parties", "All", "Never used"]}
          rows={buckets.map((b) => [
            UNUSED_LABELS[b.bucket],
            b.grants.human,
            b.grants.non_human,
            b.grants.third_party,
            { text: sum(b), href: itemsHref(filters, { metric: "unused", bucket: b.bucket }) },
            b.neverUsed,
          ])}
        />
      }
      links={[{ href: itemsHref(filters, { metric: "unused", bucket: "90" }), label: `The ${fmt(sum(buckets[3]!))} grants unused for 90 days or more` }]}
    />
  );
}

export function NhiChart({ d, filters }: { d: Dashboard; filters: MetricFilters }) {
  const { concerns, total } = d.nhi;
  const summary = `Of ${fmt(total)} non-human identities: ${concerns.map((c) => `${fmt(c.identities)} ${NHI_LABELS[c.concern].toLowerCase()}`).join(", ")}.`;
  const href = itemsHref(filters, { metric: "nhi", concern: "__X__" });
  return (
    <ChartCard
      id="nhi"
      title="Non-human identities that need an owner's attention"
      description={`Service accounts, keys, tokens, workloads and agents not decommissioned (${fmt(total)} in scope), now.`}
      asOf={d.nhi.asOf}
      chart={
        <MetricChart
          kind="bar"
          data={concerns.map((c) => ({ concern: c.concern, label: NHI_LABELS[c.concern], identities: c.identities }))}
          xKey="label"
          linkKey="concern"
          series={[{ key: "identities", label: "Non-human identities", color: PALETTE[3] }]}
          xLabel="Concern"
          yLabel="Identities"
          summary={summary}
          hrefTemplate={href}
        />
      }
      table={
        <DataTable
          caption="Non-human identities by concern"
          headers={["Concern", "Identities"]}
          rows={concerns.map((c) => [NHI_LABELS[c.concern], { text: c.identities, href: href.replace("__X__", c.concern) }])}
        />
      }
      links={concerns.map((c) => ({ href: href.replace("__X__", c.concern), label: `${NHI_LABELS[c.concern]} (${fmt(c.identities)})` }))}
    />
  );
}
