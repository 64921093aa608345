import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { myQueue, queueFiltersSchema, reviewItemView } from "@/lib/domain/campaigns/review-views";
import { systemDeps } from "@/lib/domain/deps";
import { orNotFound, queryOf, type SearchParams } from "@/lib/pages";
import { EvidencePanel } from "@/components/reviews/evidence-panel";
import { DecisionPanel } from "@/components/reviews/decision-panel";
import { decisionTarget, reviewHref } from "@/components/reviews/review-links";
import { ReviewQueue } from "@/components/reviews/review-queue";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterForm } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";

export const metadata: Metadata = { title: "My reviews" };

export default async function ReviewsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = queueFiltersSchema.parse(query);
  const deps = systemDeps(db());
  const { page, facets } = await myQueue(deps, actor, filters);
  const rows = page.rows;
  // A linked item shows even when it is not on this page of the queue (or already decided).
  const selectedId = filters.item ?? rows[0]?.id ?? null;
  const item = selectedId ? await orNotFound(reviewItemView(deps, actor, { itemId: selectedId })) : null;
  const index = rows.findIndex((r) => r.id === selectedId);
  const next = rows.slice(index + 1).find((r) => r.decision === null) ?? null;
  const pendingTotal = facets.campaigns.reduce((n, c) => n + c.pending, 0);

  return (
    <>
      <PageHeader
        title="My reviews"
        subtitle={`${pendingTotal} undecided item${pendingTotal === 1 ? "" : "s"} across ${facets.campaigns.length} open campaign${facets.campaigns.length === 1 ? "" : "s"}.`}
      />
      <FilterForm label="Filter review items" columns="sm:grid-cols-3 lg:grid-cols-7">
        <TextField label="Search person or access" name="q" value={filters.q} id="queue-search" />
        <SelectField label="Campaign" name="campaignId" value={filters.campaignId} options={[["", "All"], ...facets.campaigns.map((c) => [c.id, `${c.name} (${c.pending})`] as [string, string])]} />
        <SelectField label="Application" name="applicationId" value={filters.applicationId} options={[["", "All"], ...facets.applications.map((a) => [a.id, a.name] as [string, string])]} />
        <SelectField
          label="Privileged"
          name="privileged"
          value={query.privileged}
          options={[
            ["", "Any"],
            ["true", "Privileged only"],
            ["false", "Not privileged"],
          ]}
        />
        <SelectField
          label="Recommendation"
          name="recommendation"
          value={filters.recommendation}
          options={[
            ["", "Any"],
            ["revoke", "Revoke"],
            ["reduce", "Reduce to JIT"],
            ["certify", "Certify"],
            ["none", "None"],
          ]}
        />
        <SelectField
          label="Show"
          name="status"
          value={filters.status}
          options={[
            ["pending", "Undecided"],
            ["decided", "Decided"],
          ]}
        />
      </FilterForm>
      {rows.length === 0 && !item ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-center">
          {filters.status === "pending" ? "Nothing waits for your review" : "No decided items"}
          {Object.values(filters).some((v) => v !== undefined && v !== "pending") ? " with these filters." : ". Campaigns you are a reviewer in will show their items here."}{" "}
          {filters.status === "pending" ? (
            <Link className="underline" href="/reviews?status=decided">
              See what you decided
            </Link>
          ) : null}
        </p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
          <div>
            <ReviewQueue rows={rows} selectedId={selectedId} query={query} />
            <Pager basePath="/reviews" query={query} nextCursor={page.nextCursor} />
          </div>
          {item ? (
            <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label="Evidence">
              <EvidencePanel item={item} now={new Date()} />
              <DecisionPanel target={decisionTarget(item)} nextHref={next ? reviewHref(query, next.id) : null} />
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}
