import Link from "next/link";
import type { CampaignItemRow, ProgressRow } from "@/db/queries/campaigns";
import { DecisionBadge, RecommendationBadge } from "@/components/reviews/recommendation-badge";
import { Badge } from "@/components/ui/badge";
import { buttonClass, SelectField } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

/** The campaign's items, filtered by status and reviewer in the URL; each opens on the review screen. */
export function CampaignItems({
  campaignId,
  items,
  filters,
  query,
  reviewers,
  now,
}: {
  campaignId: string;
  items: { rows: CampaignItemRow[]; nextCursor: string | null };
  filters: { status?: string; reviewer?: string };
  query: Record<string, string | undefined>;
  reviewers: ProgressRow[];
  now: Date;
}) {
  const reviewerOptions: [string, string][] = [["", "Anyone"], ...reviewers.flatMap((r): [string, string][] => (r.id && r.name ? [[r.id, r.name]] : []))];
  if (filters.reviewer && !reviewerOptions.some(([id]) => id === filters.reviewer)) reviewerOptions.push([filters.reviewer, "The chosen reviewer"]);
  return (
    <section id="items" className="mt-8" aria-labelledby="items-heading">
      <h2 id="items-heading" className="text-lg font-semibold">
        Items
      </h2>
      <form method="get" role="search" aria-label="Filter items" className="my-2 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <SelectField
          label="Status"
          name="status"
          value={filters.status}
          options={[
            ["", "Any"],
            ["pending", "Undecided"],
            ["overdue", "Overdue"],
            ["decided", "Decided"],
            ["closed", "Closed"],
          ]}
        />
        <SelectField label="Reviewer" name="reviewer" value={filters.reviewer} options={reviewerOptions} />
        <button type="submit" className={buttonClass}>
          Apply filters
        </button>
      </form>
      <Table caption="Campaign items" captionHidden headers={["Person", "Access", "Reviewer", "Recommended", "Decision", "Due"]}>
        {items.rows.length === 0 ? <EmptyRow colSpan={6}>No item matches these filters.</EmptyRow> : null}
        {items.rows.map((item) => (
          <tr key={item.id}>
            <Td>
              <Link href={`/reviews/${item.id}`} className="text-blue-800 underline">
                {item.identityName}
              </Link>
            </Td>
            <Td>
              {item.applicationName} · {item.entitlementName} {item.privileged ? <Badge tone="warn">privileged</Badge> : null}
              {item.stage === 2 ? <span className="ml-1 text-xs text-slate-600">(second stage)</span> : null}
            </Td>
            <Td>
              {item.reviewerName ?? <span className="text-red-800">Unassigned</span>}
              {item.escalated ? <span className="ml-1 text-xs text-slate-600">(escalated)</span> : null}
            </Td>
            <Td>
              <RecommendationBadge value={item.recommendation} />
            </Td>
            <Td>
              <DecisionBadge value={item.decision} />
            </Td>
            <Td>
              {item.status === "pending" && item.dueAt && item.dueAt < now ? <span className="font-medium text-red-800">Overdue </span> : null}
              <Time value={item.dueAt} dateOnly />
            </Td>
          </tr>
        ))}
      </Table>
      <Pager basePath={`/campaigns/${campaignId}`} query={query} nextCursor={items.nextCursor} />
    </section>
  );
}
