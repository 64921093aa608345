import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { mayCreateCampaigns, seesEverything } from "@/lib/domain/access/rules";
import { browseCampaigns, campaignListFiltersSchema } from "@/lib/domain/campaigns/campaign-views";
import { systemDeps } from "@/lib/domain/deps";
import { orNotFound, queryOf, type SearchParams } from "@/lib/pages";
import { CampaignStatusBadge, ProgressText } from "@/components/campaigns/status";
import { buttonClass, SelectField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = campaignListFiltersSchema.parse(query);
  const deps = systemDeps(db());
  const page = await orNotFound(browseCampaigns(deps, actor, filters));
  const now = deps.now();
  return (
    <>
      <PageHeader title="Campaigns" subtitle={seesEverything(actor) ? "Every certification campaign, newest first." : "The certification campaigns you created, newest first."}>
        {mayCreateCampaigns(actor) ? (
          <Link href="/campaigns/new" className={buttonClass}>
            New campaign
          </Link>
        ) : null}
      </PageHeader>
      <form method="get" role="search" aria-label="Filter campaigns" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <SelectField
          label="Status"
          name="status"
          value={filters.status}
          options={[
            ["", "Any"],
            ["draft", "Draft"],
            ["launching", "Launching"],
            ["active", "Active"],
            ["closed", "Closed"],
          ]}
        />
        <button type="submit" className={buttonClass}>
          Apply filters
        </button>
      </form>
      <Table caption="Campaigns" captionHidden headers={["Campaign", "Status", "Due", "Decided", "Overdue", "Removals", "Created by"]}>
        {page.rows.length === 0 ? <EmptyRow colSpan={7}>{mayCreateCampaigns(actor) ? "No campaigns yet. Create one to review access to your applications." : "No campaigns yet."}</EmptyRow> : null}
        {page.rows.map((c) => (
          <tr key={c.id}>
            <Td>
              <Link href={`/campaigns/${c.id}`} className="font-medium text-blue-800 underline">
                {c.name}
              </Link>
              {c.recurrence !== "none" ? <span className="ml-2 text-xs text-slate-600">repeats {c.recurrence}</span> : null}
            </Td>
            <Td>
              <CampaignStatusBadge status={c.status} adHoc={c.adHoc} />
            </Td>
            <Td>{c.adHoc ? <span className="text-slate-600">per item</span> : <Time value={c.dueAt} now={now} dateOnly />}</Td>
            <Td>
              <ProgressText decided={c.decided} total={c.total} />
            </Td>
            <Td>{c.overdue > 0 ? <span className="font-medium text-red-800">{c.overdue.toLocaleString("en")} overdue</span> : "0"}</Td>
            <Td>{c.removals === "on_decision" ? "On decision" : "At close"}</Td>
            <Td>{c.createdBy ?? <span className="text-slate-600">Accord</span>}</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/campaigns" query={query} nextCursor={page.nextCursor} />
    </>
  );
}
