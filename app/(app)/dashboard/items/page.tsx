import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { FINDING_KINDS, type FindingKind } from "@/lib/domain/findings/kinds";
import { metricFiltersSchema } from "@/lib/domain/metrics/filters";
import { getMetricItems, metricItemsSchema, type MetricItems, type MetricItemsQuery } from "@/lib/domain/metrics/items";
import { isDomainError } from "@/lib/errors";
import { queryOf, type SearchParams } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { AGE_LABELS, CATEGORY_LABELS, dashboardHref, KIND_LABELS, NHI_LABELS, SEVERITY_LABELS, UNUSED_LABELS } from "../_components/links";

export const metadata: Metadata = { title: "Dashboard: the items behind a figure" };

const link = "text-blue-800 underline underline-offset-2";
const fmt = (n: number) => n.toLocaleString("en");

function titleOf(q: MetricItemsQuery): string {
  switch (q.metric) {
    case "standing":
      return `Standing privileged grants in force on ${q.day}${q.category ? `, held by ${CATEGORY_LABELS[q.category].toLowerCase()}` : ""}`;
    case "share":
      return `${KIND_LABELS[q.kind]} privileged grants usable on ${q.day}`;
    case "containment":
      return "Privileged grants of one application: available and used over the period";
    case "unused":
      return `Standing privileged grants: ${UNUSED_LABELS[q.bucket].toLowerCase()}${q.category ? `, ${CATEGORY_LABELS[q.category].toLowerCase()}` : ""}`;
    case "nhi":
      return `Non-human identities: ${NHI_LABELS[q.concern].toLowerCase()}`;
    case "campaign":
      return q.view === "overdue"
        ? "Overdue review items"
        : q.view === "launched"
          ? `Review items launched by the end of ${q.day}${q.decided === "1" ? ", decided by then" : q.decided === "0" ? ", not yet decided then" : ""}`
          : `Decisions where ${q.recommendation} was recommended: ${q.followed === "followed" ? "followed" : "decided otherwise"}`;
    case "revocation":
      return q.view === "verified" ? `Revocations verified${q.week ? ` in the week of ${q.week}` : " in the period"}` : q.view === "failed" ? "Failed revocations" : "Revocations past their SLA";
    case "finding": {
      const parts = [
        q.findingKind ? (FINDING_KINDS[q.findingKind as FindingKind]?.label ?? q.findingKind) : null,
        q.severity ? SEVERITY_LABELS[q.severity] : null,
        q.age ? `open ${AGE_LABELS[q.age].toLowerCase()}` : null,
      ].filter(Boolean);
      return `Open findings${parts.length ? `: ${parts.join(", ")}` : ""}`;
    }
    case "reviewer":
      return q.reviewer ? "One reviewer's decisions in the period" : "Every reviewer's decisions in the period";
  }
}

function Rows({ items }: { items: MetricItems }) {
  switch (items.type) {
    case "grants":
      return (
        <Table caption="Grants" headers={["Holder", "Type", "Application", "Entitlement", "Kind", "Available h", ...(items.query.metric === "containment" ? ["Used h"] : [])]}>
          {items.page.rows.length === 0 ? <EmptyRow colSpan={7}>Nothing matches.</EmptyRow> : null}
          {items.page.rows.map((r) => (
            <tr key={r.grantId}>
              <Td>
                <Link className={link} href={`/grants/${r.grantId}`}>
                  {r.identityName}
                </Link>
              </Td>
              <Td>{CATEGORY_LABELS[r.category]}</Td>
              <Td>{r.applicationName}</Td>
              <Td>{r.entitlementName}</Td>
              <Td>{KIND_LABELS[r.kind]}</Td>
              <Td className="tabular-nums">{r.availableHours}</Td>
              {items.query.metric === "containment" ? <Td className="tabular-nums">{r.usedHours}</Td> : null}
            </tr>
          ))}
        </Table>
      );
    case "unused":
      return (
        <Table caption="Standing privileged grants by last use" headers={["Holder", "Type", "Application", "Entitlement", "Granted", "Last used", "Days unused"]}>
          {items.page.rows.length === 0 ? <EmptyRow colSpan={7}>Nothing matches.</EmptyRow> : null}
          {items.page.rows.map((r) => (
            <tr key={r.grantId}>
              <Td>
                <Link className={link} href={`/grants/${r.grantId}`}>
                  {r.identityName}
                </Link>
              </Td>
              <Td>{CATEGORY_LABELS[r.category]}</Td>
              <Td>{r.applicationName}</Td>
              <Td>{r.entitlementName}</Td>
              <Td>
                <Time value={r.grantedAt} dateOnly />
              </Td>
              <Td>{r.lastUsedAt ? <Time value={r.lastUsedAt} /> : <Badge tone="warn">Never</Badge>}</Td>
              <Td className="tabular-nums">{r.idleDays}</Td>
            </tr>
          ))}
        </Table>
      );
    case "nhi":
      return (
        <Table caption="Non-human identities" headers={["Identity", "Type", "Owner", "Department"]}>
          {items.page.rows.length === 0 ? <EmptyRow colSpan={4}>Nothing matches.</EmptyRow> : null}
          {items.page.rows.map((r) => (
            <tr key={r.identityId}>
              <Td>
                <Link className={link} href={`/identities/${r.identityId}`}>
                  {r.displayName}
                </Link>
              </Td>
              <Td>{r.type.replace("_", " ")}</Td>
              <Td>{r.ownerName ?? <Badge tone="bad">No owner</Badge>}</Td>
              <Td>{r.department ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      );
    case "reviewItems":
      return (
        <Table caption="Review items" headers={["Campaign", "Holder", "Application", "Entitlement", "Recommended", "Status", "Decision", "Due", "Decided"]}>
          {items.page.rows.length === 0 ? <EmptyRow colSpan={9}>Nothing matches.</EmptyRow> : null}
          {items.page.rows.map((r) => (
            <tr key={r.itemId}>
              <Td>{r.campaignName}</Td>
              <Td>{r.identityName}</Td>
              <Td>{r.applicationName}</Td>
              <Td>{r.entitlementName}</Td>
              <Td>{r.recommendation}</Td>
              <Td>{r.status}</Td>
              <Td>{r.decision ?? "—"}</Td>
              <Td>
                <Time value={r.dueAt} />
              </Td>
              <Td>
                <Time value={r.decidedAt} />
              </Td>
            </tr>
          ))}
        </Table>
      );
    case "revocations":
      return (
        <Table caption="Revocations" headers={["Holder", "Entitlement", "Cause", "Status", "Requested", "Verified", "Hours to verified", "SLA due", "Last error"]}>
          {items.page.rows.length === 0 ? <EmptyRow colSpan={9}>Nothing matches.</EmptyRow> : null}
          {items.page.rows.map((r) => (
            <tr key={r.revocationId}>
              <Td>
                <Link className={link} href={`/grants/${r.grantId}`}>
                  {r.identityName}
                </Link>
              </Td>
              <Td>{r.entitlementName}</Td>
              <Td>{r.cause}</Td>
              <Td>{r.status}</Td>
              <Td>
                <Time value={r.requestedAt} />
              </Td>
              <Td>
                <Time value={r.verifiedAt} />
              </Td>
              <Td className="tabular-nums">{r.hoursToVerified ?? "—"}</Td>
              <Td>
                <Time value={r.slaDueAt} />
              </Td>
              <Td>{r.lastError ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      );
    case "findings":
      return (
        <Table caption="Open findings" headers={["Severity", "Kind", "About", "Reason", "First seen"]}>
          {items.page.rows.length === 0 ? <EmptyRow colSpan={5}>Nothing matches.</EmptyRow> : null}
          {items.page.rows.map((r) => (
            <tr key={r.findingId}>
              <Td>{SEVERITY_LABELS[r.severity as keyof typeof SEVERITY_LABELS] ?? r.severity}</Td>
              <Td>{FINDING_KINDS[r.kind as FindingKind]?.label ?? r.kind}</Td>
              <Td>{r.identityName ?? "—"}</Td>
              <Td>
                <Link className={link} href={`/findings/${r.findingId}`}>
                  {r.reason}
                </Link>
              </Td>
              <Td>
                <Time value={r.firstSeenAt} />
              </Td>
            </tr>
          ))}
        </Table>
      );
    case "decisions":
      return (
        <Table caption="Decisions" headers={["Decided", "Decision", "Seconds spent", "Bulk", "Holder", "Entitlement"]}>
          {items.page.rows.length === 0 ? <EmptyRow colSpan={6}>Nothing matches.</EmptyRow> : null}
          {items.page.rows.map((r) => (
            <tr key={r.decisionId}>
              <Td>
                <Time value={r.decidedAt} />
              </Td>
              <Td>{r.decision}</Td>
              <Td className="tabular-nums">{r.secondsSpent ?? "—"}</Td>
              <Td>{r.bulk ? "Yes" : "No"}</Td>
              <Td>{r.identityName}</Td>
              <Td>{r.entitlementName}</Td>
            </tr>
          ))}
        </Table>
      );
  }
}

export default async function DashboardItemsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = metricFiltersSchema.parse(query);
  const parsed = metricItemsSchema.safeParse(query);
  if (!parsed.success) notFound();
  let items: MetricItems;
  try {
    items = await getMetricItems(systemDeps(db()), actor, filters, parsed.data, query.cursor);
  } catch (error) {
    if (isDomainError(error) && ["FORBIDDEN", "NOT_FOUND", "INVALID"].includes(error.code)) notFound();
    throw error;
  }
  const extra = items.type === "grants" ? ` · ${fmt(items.page.availableHours)} privilege-hours available${items.query.metric === "containment" ? `, ${fmt(items.page.usedHours)} used` : ""}` : "";
  return (
    <>
      <p className="mb-2">
        <Link
          href={dashboardHref(filters)}
          className="inline-flex min-h-6 items-center gap-1 rounded-full bg-blue-50 px-3 py-1 text-sm font-medium text-blue-900 ring-1 ring-blue-300 hover:bg-blue-100"
        >
          <span aria-hidden="true">←</span> From dashboard
        </Link>
      </p>
      <PageHeader title={titleOf(parsed.data)} subtitle={<span data-testid="items-total">{`${fmt(items.page.total)} ${items.page.total === 1 ? "item" : "items"}${extra}`}</span>} />
      <Rows items={items} />
      <Pager basePath="/dashboard/items" query={query} nextCursor={items.page.nextCursor} />
    </>
  );
}
