import type { Metadata } from "next";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { dashboardFilterOptions, getDashboard } from "@/lib/domain/metrics/dashboard";
import { metricFiltersSchema, type MetricFilters } from "@/lib/domain/metrics/filters";
import { isDomainError } from "@/lib/errors";
import { queryOf, type SearchParams } from "@/lib/pages";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterForm } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { ContainmentChart, NhiChart, ShareChart, StandingChart, StandingHoursChart, UnusedChart } from "./_components/access-charts";
import { CampaignCharts, DiligenceChart, FindingCharts, RevocationChart } from "./_components/programme-charts";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  let filters: MetricFilters = metricFiltersSchema.parse(query);
  const deps = systemDeps(db());
  let problem: string | null = null;
  let dashboard;
  try {
    dashboard = await getDashboard(deps, actor, filters);
  } catch (error) {
    if (!isDomainError(error) || error.code !== "INVALID") throw error;
    problem = `${error.message} Showing the last 90 days instead.`;
    filters = { ...filters, from: undefined, to: undefined, period: undefined };
    dashboard = await getDashboard(deps, actor, filters);
  }
  const options = await dashboardFilterOptions(deps, actor);
  const scopeNote = actor.roles.length > 0 ? "the whole organisation" : "the people and access you are responsible for";
  const { period } = dashboard;
  return (
    <>
      <PageHeader
        title="Standing-privilege dashboard"
        subtitle={
          <>
            How much standing privilege remains, where, and whether it is going down. Figures cover {scopeNote}, from {period.fromDay} to {period.toDay} (UTC days).
          </>
        }
      />
      <FilterForm label="Filter the dashboard" columns="sm:grid-cols-4 lg:grid-cols-9" clearHref="/dashboard">
        <SelectField
          label="Campaign (review charts)"
          name="campaignId"
          value={filters.campaignId}
          options={[["", "All campaigns"], ...options.campaigns.map((c): [string, string] => [c.id, c.name])]}
        />
        <SelectField
          label="Application"
          name="applicationId"
          value={filters.applicationId}
          options={[["", "All applications"], ...options.applications.map((a): [string, string] => [a.id, a.name])]}
        />
        <SelectField label="Owner" name="ownerId" value={filters.ownerId} options={[["", "Any owner"], ...options.owners.map((o): [string, string] => [o.id, o.name])]} />
        <SelectField label="Department" name="department" value={filters.department} options={[["", "All departments"], ...options.departments.map((d): [string, string] => [d, d])]} />
        <SelectField
          label="Identity type"
          name="identityType"
          value={filters.identityType}
          options={[
            ["", "All"],
            ["human", "Humans"],
            ["non_human", "Non-human identities"],
            ["third_party", "Third parties"],
          ]}
        />
        <SelectField
          label="Period"
          name="period"
          value={filters.period}
          options={[
            ["", "Last 90 days"],
            ["30", "Last 30 days"],
            ["180", "Last 180 days"],
            ["365", "Last 365 days"],
          ]}
        />
        <TextField label="From (optional)" name="from" type="date" value={filters.from} />
        <TextField label="To (optional)" name="to" type="date" value={filters.to} />
      </FilterForm>
      {problem ? (
        <p role="alert" className="mb-4 rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900">
          {problem}
        </p>
      ) : null}
      <p className="mb-4 text-sm text-slate-700">
        Each chart links to the list of what it counts; the list uses the same definition, so its total is the chart&apos;s number. Click a mark, or open &ldquo;Show as a table&rdquo; for links by the
        keyboard.
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <StandingChart d={dashboard} filters={filters} />
        <StandingHoursChart d={dashboard} />
        <ShareChart d={dashboard} filters={filters} />
        <UnusedChart d={dashboard} filters={filters} />
        <ContainmentChart d={dashboard} filters={filters} />
        <NhiChart d={dashboard} filters={filters} />
        <CampaignCharts d={dashboard} filters={filters} />
        <RevocationChart d={dashboard} filters={filters} />
        <FindingCharts d={dashboard} filters={filters} />
        <DiligenceChart d={dashboard} filters={filters} />
      </div>
      {dashboard.diligenceRefusal ? <p className="mt-4 text-sm text-slate-700">{dashboard.diligenceRefusal}</p> : null}
    </>
  );
}
