import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { auditFiltersSchema, browseAuditTrail } from "@/lib/domain/audit/browse";
import { systemDeps } from "@/lib/domain/deps";
import { orNotFound, queryOf, type SearchParams } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { secondaryButtonClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const metadata: Metadata = { title: "Audit trail" };

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = auditFiltersSchema.parse(query);
  const page = await orNotFound(browseAuditTrail(systemDeps(db()), actor, filters));
  const v = page.verification;
  return (
    <>
      <PageHeader title="Audit trail" subtitle="Every change, append-only. Each event carries the SHA-256 of the one before it, so an edit or deletion breaks the chain.">
        <Link className={secondaryButtonClass} href={`/audit?verify=1`}>
          Verify the whole chain
        </Link>
      </PageHeader>
      {v ? (
        <p role="status" className={`mb-4 rounded border p-3 text-sm ${v.ok ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-red-300 bg-red-50 text-red-900"}`}>
          {v.ok
            ? `Chain intact: ${v.checked.toLocaleString("en")} events verified, last hash ${v.lastHash.slice(0, 16)}…`
            : `Chain broken at event ${v.brokenAt?.id} (${v.brokenAt?.reason.replaceAll("_", " ")}) after ${v.checked.toLocaleString("en")} good events.`}{" "}
          Checked <Time value={page.checkedAt} />.
        </p>
      ) : null}
      <Table caption="Audit events, newest first" captionHidden headers={["#", "Time", "Actor", "Action", "Target", "Change", "Reason", "Hash"]}>
        {page.rows.length === 0 ? <EmptyRow colSpan={8}>No events yet.</EmptyRow> : null}
        {page.rows.map((e) => (
          <tr key={e.id}>
            <Td>{e.id}</Td>
            <Td>
              <Time value={e.occurredAt} />
            </Td>
            <Td>
              <Badge tone={e.actorKind === "human" ? "neutral" : "info"}>{e.actorKind}</Badge> {e.actorLabel}
            </Td>
            <Td className="font-mono text-xs">{e.action}</Td>
            <Td>
              {e.entityType === "identity" ? (
                <Link className="text-blue-800 underline" href={`/identities/${e.entityId}`}>
                  identity {e.entityId.slice(0, 8)}
                </Link>
              ) : (
                `${e.entityType} ${e.entityId.slice(0, 8)}`
              )}
            </Td>
            <Td className="max-w-xs font-mono text-xs break-all">
              {e.before ? `${JSON.stringify(e.before)} → ` : ""}
              {e.after ? JSON.stringify(e.after) : ""}
            </Td>
            <Td>{e.reason ?? "—"}</Td>
            <Td className="font-mono text-xs">{e.hash.slice(0, 12)}…</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/audit" query={query} nextCursor={page.nextCursor} />
    </>
  );
}
