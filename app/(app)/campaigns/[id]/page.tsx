import type { Metadata } from "next";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { campaignItemFiltersSchema, campaignOverview } from "@/lib/domain/campaigns/campaign-views";
import { systemDeps } from "@/lib/domain/deps";
import { orNotFound, queryOf, type SearchParams } from "@/lib/pages";
import { CampaignStatusBadge, ProgressText } from "@/components/campaigns/status";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { CloseControl, ExtendControl, LaunchControl } from "./_components/campaign-controls";
import { CampaignItems } from "./_components/campaign-items";
import { LaunchProgress } from "./_components/launch-progress";
import { DecisionMatrix, ProgressTable } from "./_components/progress-tables";
import { CampaignSettings } from "./_components/campaign-settings";

export const metadata: Metadata = { title: "Campaign" };

export default async function CampaignPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const actor = await requireActor();
  const { id } = await params;
  const query = await queryOf(searchParams);
  const filters = campaignItemFiltersSchema.parse(query);
  const view = await orNotFound(campaignOverview(systemDeps(db()), actor, { campaignId: id, items: filters }));
  const { campaign, totals } = view;
  const mayManage = view.manageRefusal === null;
  const launched = campaign.status !== "draft" && campaign.status !== "launching";

  return (
    <>
      <PageHeader
        title={campaign.name}
        subtitle={
          <>
            <CampaignStatusBadge status={campaign.status} adHoc={campaign.adHoc} /> <span className="ml-1">{view.scopeText}.</span>
          </>
        }
      >
        {!mayManage ? <p className="max-w-xs text-sm text-slate-700">Read-only: {view.manageRefusal}</p> : null}
      </PageHeader>

      {campaign.description ? <p className="mb-4 max-w-3xl text-slate-800">{campaign.description}</p> : null}

      {campaign.status === "draft" ? (
        <Section title="Ready to launch" description="Launching snapshots every grant in scope with its evidence as it is at that moment, assigns reviewers and notifies them.">
          <p className="mb-2">
            The scope selects <strong>{(view.inScope ?? 0).toLocaleString("en")}</strong> active grant{view.inScope === 1 ? "" : "s"} now.
          </p>
          {mayManage ? <LaunchControl campaignId={campaign.id} inScope={view.inScope} /> : null}
        </Section>
      ) : null}

      {campaign.status === "launching" ? (
        <Section title="Launching">
          <LaunchProgress campaignId={campaign.id} itemCount={campaign.itemCount} expected={view.inScope} />
        </Section>
      ) : null}

      {launched ? (
        <>
          <Facts
            items={[
              ["Progress", <ProgressText key="p" decided={totals.decided} total={totals.total} />],
              ["Undecided", totals.pending.toLocaleString("en")],
              ["Overdue", totals.overdue > 0 ? <span className="text-red-800">{totals.overdue.toLocaleString("en")} overdue</span> : "None"],
              ["Due", campaign.adHoc ? "Per item" : <Time value={campaign.dueAt} now={view.now} />],
              ["Escalated", totals.escalated.toLocaleString("en")],
              ["Unassigned", totals.unassigned > 0 ? <span className="text-red-800">{totals.unassigned.toLocaleString("en")}</span> : "None"],
            ]}
          />
          {mayManage && campaign.status === "active" ? (
            <div className="mt-4 flex flex-wrap items-start gap-4 rounded-lg border border-slate-200 bg-white p-4">
              {campaign.dueAt ? <ExtendControl key={campaign.dueAt.toISOString()} campaignId={campaign.id} dueAt={campaign.dueAt} /> : null}
              <CloseControl campaignId={campaign.id} pending={totals.pending} closePolicy={campaign.closePolicy} removalsAtClose={campaign.removals === "at_close"} />
            </div>
          ) : null}
          <div className="grid gap-x-6 lg:grid-cols-2">
            <Section title="Progress by reviewer" description="Most outstanding first. Choose a reviewer to list their items.">
              <ProgressTable
                caption="Progress by reviewer"
                label="Reviewer"
                rows={view.byReviewer.rows}
                more={view.byReviewer.more}
                linkFor={(row) => (row.id ? `?reviewer=${row.id}#items` : null)}
                empty="Unassigned"
              />
            </Section>
            <Section title="Progress by application">
              <ProgressTable
                caption="Progress by application"
                label="Application"
                rows={view.byApplication.rows}
                more={view.byApplication.more}
                linkFor={(row) => (row.id ? `/applications/${row.id}` : null)}
                empty="—"
              />
            </Section>
          </div>
          <Section title="Recommendation and decision" description="How reviewers decided, item by item, against what Accord recommended at launch.">
            <DecisionMatrix cells={view.matrix} />
          </Section>
          <CampaignItems campaignId={campaign.id} items={view.items} filters={filters} query={query} reviewers={view.byReviewer.rows} now={view.now} />
        </>
      ) : null}

      <CampaignSettings view={view} />
    </>
  );
}
