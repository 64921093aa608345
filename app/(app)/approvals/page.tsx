import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { approvalEvidence, approvalQueue, approvalsQuery, requestView } from "@/lib/domain/approvals/views";
import { describeMinutes } from "@/lib/domain/approvals/policy";
import { systemDeps } from "@/lib/domain/deps";
import { isDomainError } from "@/lib/errors";
import { queryOf, type SearchParams } from "@/lib/pages";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { ApprovalEvidence } from "@/components/requests/approval-evidence";
import { ApprovalQueue } from "@/components/requests/approval-queue";
import { DecisionForm } from "@/components/requests/decision-form";

export const metadata: Metadata = { title: "Approvals" };

const TABS = [
  ["needs", "Needs me"],
  ["decided", "Decided by me"],
  ["all", "All I can see"],
] as const;

const SHORTER = [30, 60, 120, 240, 480, 1440, 7 * 1440, 30 * 1440, 90 * 1440];

export default async function ApprovalsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = approvalsQuery.parse(await queryOf(searchParams));
  const deps = systemDeps(db());
  const { page, needsCount } = await approvalQueue(deps, actor, query);
  const rows = page.rows;
  // A request opened from a link (a notification) shows even when it is not on this page of the queue.
  const selectedId = query.request ?? rows[0]?.id ?? null;
  const view = selectedId ? await requestView(deps, actor, selectedId).catch((error: unknown) => (isDomainError(error) ? null : Promise.reject(error))) : null;
  const evidence = view ? await approvalEvidence(deps, view) : null;
  const index = rows.findIndex((r) => r.id === selectedId);
  const next = index >= 0 ? (rows[index + 1] ?? null) : null;
  const hrefFor = (id: string) => `/approvals?tab=${query.tab}&request=${id}`;
  const requested = view?.request.durationMinutes ?? null;
  const durationOptions: [number, string][] = view && view.request.kind !== "standing" ? SHORTER.filter((m) => requested === null || m < requested).map((m) => [m, describeMinutes(m)]) : [];

  return (
    <>
      <PageHeader title="Approvals" subtitle={`${needsCount} request${needsCount === 1 ? "" : "s"} wait${needsCount === 1 ? "s" : ""} for your decision. Soonest to expire first.`} />
      <nav aria-label="Approval tabs" className="mb-3 flex gap-1 border-b border-slate-200">
        {TABS.map(([tab, label]) => (
          <Link
            key={tab}
            href={`/approvals?tab=${tab}`}
            aria-current={query.tab === tab ? "page" : undefined}
            className={`-mb-px rounded-t border px-3 py-1.5 text-sm ${query.tab === tab ? "border-slate-200 border-b-white bg-white font-semibold" : "border-transparent text-blue-900 underline"}`}
          >
            {label}
            {tab === "needs" ? ` (${needsCount})` : ""}
          </Link>
        ))}
      </nav>
      {rows.length === 0 && !view ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-center">
          {query.tab === "needs"
            ? "Nothing waits for you. Requests for your reports and for the access you own will appear here, and you will get a notice."
            : query.tab === "decided"
              ? "You have not decided any request yet."
              : "No requests you may see."}
        </p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
          <div>
            <ApprovalQueue rows={rows} selectedId={selectedId} tab={query.tab} />
            <Pager basePath="/approvals" query={{ tab: query.tab, cursor: query.cursor }} nextCursor={page.nextCursor} />
          </div>
          {view && evidence ? (
            <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label="Request and evidence">
              <ApprovalEvidence view={view} evidence={evidence} now={deps.now()} />
              {view.decision?.allowed ? (
                <DecisionForm
                  stepId={view.decision.stepId}
                  subject={`${view.request.beneficiaryName}'s request for ${view.request.entitlementName}`}
                  durationOptions={durationOptions}
                  nextHref={next ? hrefFor(next.id) : null}
                />
              ) : (
                <p className="rounded border border-slate-300 bg-slate-50 p-3 text-sm">
                  {view.request.status !== "pending"
                    ? "This request is closed; its history stays here."
                    : view.decision
                      ? `You cannot decide this request: ${view.decision.reason}`
                      : "No step is waiting for a decision."}{" "}
                  <Link className="underline" href={`/requests/${view.request.id}`}>
                    Open the request
                  </Link>
                </p>
              )}
            </section>
          ) : (
            <p className="rounded-lg border border-slate-200 bg-white p-4">That request was not found.</p>
          )}
        </div>
      )}
    </>
  );
}
