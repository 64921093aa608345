import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { auditFiltersSchema, browseAuditTrail } from "@/lib/domain/audit/browse";
import { systemDeps } from "@/lib/domain/deps";
import { orNotFound, queryOf, type SearchParams } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const metadata: Metadata = { title: "Audit trail" };

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";
const label = "block text-sm font-medium text-slate-800";

function entityHref(type: string, id: string): string | null {
  if (type === "identity") return `/identities/${id}`;
  if (type === "grant") return `/grants/${id}`;
  if (type === "finding") return `/findings/${id}`;
  if (type === "review_item") return `/reviews/${id}`;
  return null;
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = auditFiltersSchema.parse(query);
  const page = await orNotFound(browseAuditTrail(systemDeps(db()), actor, filters));
  const v = page.verification;
  const filtered = (extra: Record<string, string>) => `/audit?${new URLSearchParams({ from: page.range.from, to: page.range.to, ...extra }).toString()}`;
  return (
    <>
      <PageHeader title="Audit trail" subtitle="Every change, append-only. Each event carries the SHA-256 of the one before it, so an edit or deletion breaks the chain.">
        <div className="flex gap-2">
          <Link className={secondaryButtonClass} href="/evidence">
            Evidence export
          </Link>
          <Link className={secondaryButtonClass} href={`/audit?verify=1`}>
            Verify the whole chain
          </Link>
        </div>
      </PageHeader>
      {v ? (
        <p role="status" className={`mb-4 rounded border p-3 text-sm ${v.ok ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-red-300 bg-red-50 text-red-900"}`}>
          {v.ok
            ? `Chain intact: ${v.checked.toLocaleString("en")} events verified, last hash ${v.lastHash.slice(0, 16)}…`
            : `Chain broken at event ${v.brokenAt?.id} (${v.brokenAt?.reason.replaceAll("_", " ")}) after ${v.checked.toLocaleString("en")} good events.`}{" "}
          Checked <Time value={page.checkedAt} />.
        </p>
      ) : null}
      <form method="get" action="/audit" role="search" aria-label="Filter the audit trail" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-6">
        <label className={label}>
          Actor (email, name or id)
          <input name="actor" defaultValue={filters.actor ?? ""} className={control} />
        </label>
        <label className={label}>
          Action
          <input name="action" list="audit-actions" defaultValue={filters.action ?? ""} placeholder="review. or review.decided" className={control} />
          <datalist id="audit-actions">
            {page.actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label className={label}>
          Entity type
          <input name="entityType" defaultValue={filters.entityType ?? ""} placeholder="grant, campaign, …" className={control} />
        </label>
        <label className={label}>
          Entity id
          <input name="entityId" defaultValue={filters.entityId ?? ""} className={control} />
        </label>
        <label className={label}>
          From (UTC)
          <input type="date" name="from" required defaultValue={page.range.from} className={control} />
        </label>
        <label className={label}>
          To (UTC)
          <input type="date" name="to" required defaultValue={page.range.to} className={control} />
        </label>
        <div className="flex items-end gap-2 sm:col-span-3 lg:col-span-6">
          <button type="submit" className={buttonClass}>
            Filter
          </button>
          <Link className={secondaryButtonClass} href="/audit">
            Clear
          </Link>
          <p className="text-sm text-slate-700">
            {page.total.capped ? `More than ${page.total.count.toLocaleString("en")}` : page.total.count.toLocaleString("en")} matching event{page.total.count === 1 ? "" : "s"} from {page.range.from}{" "}
            to {page.range.to}.
          </p>
        </div>
      </form>
      <Table caption="Audit events, newest first" captionHidden headers={["#", "Time", "Actor", "Action", "Target", "Change", "Reason", "Hash"]}>
        {page.rows.length === 0 ? <EmptyRow colSpan={8}>No events match these filters.</EmptyRow> : null}
        {page.rows.map((e) => {
          const href = entityHref(e.entityType, e.entityId);
          return (
            <tr key={e.id}>
              <Td>{e.id}</Td>
              <Td>
                <Time value={e.occurredAt} />
              </Td>
              <Td>
                <Badge tone={e.actorKind === "human" ? "neutral" : "info"}>{e.actorKind}</Badge>{" "}
                {e.actorId ? (
                  <Link className="text-blue-800 underline" href={filtered({ actor: e.actorId })}>
                    {e.actorLabel}
                  </Link>
                ) : (
                  e.actorLabel
                )}
              </Td>
              <Td className="font-mono text-xs">
                <Link className="text-blue-800 underline" href={filtered({ action: e.action })}>
                  {e.action}
                </Link>
              </Td>
              <Td>
                {href ? (
                  <Link className="text-blue-800 underline" href={href}>
                    {e.entityType} {e.entityId.slice(0, 8)}
                  </Link>
                ) : (
                  `${e.entityType} ${e.entityId.slice(0, 8)}`
                )}{" "}
                <Link
                  className="text-xs text-blue-800 underline"
                  href={`/audit?${new URLSearchParams({ entityType: e.entityType, entityId: e.entityId, from: "2000-01-01", to: page.range.to }).toString()}`}
                >
                  all events
                </Link>
              </Td>
              <Td className="max-w-xs font-mono text-xs break-all">
                <details>
                  <summary className="cursor-pointer">
                    {e.before ? `${JSON.stringify(e.before).slice(0, 60)} → ` : ""}
                    {e.after ? JSON.stringify(e.after).slice(0, 80) : ""}
                  </summary>
                  <pre className="mt-1 whitespace-pre-wrap">
                    {JSON.stringify(
                      {
                        id: e.id,
                        occurredAt: e.occurredAt,
                        actorKind: e.actorKind,
                        actorId: e.actorId,
                        actorLabel: e.actorLabel,
                        onBehalfOfId: e.onBehalfOfId,
                        action: e.action,
                        entityType: e.entityType,
                        entityId: e.entityId,
                        before: e.before,
                        after: e.after,
                        reason: e.reason,
                        requestId: e.requestId,
                        prevHash: e.prevHash,
                        hash: e.hash,
                      },
                      null,
                      2,
                    )}
                  </pre>
                </details>
              </Td>
              <Td>{e.reason ?? "—"}</Td>
              <Td className="font-mono text-xs">{e.hash.slice(0, 12)}…</Td>
            </tr>
          );
        })}
      </Table>
      <Pager basePath="/audit" query={{ ...query, from: page.range.from, to: page.range.to }} nextCursor={page.nextCursor} />
    </>
  );
}
