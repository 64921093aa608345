import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { requestForm, requestFormQuery } from "@/lib/domain/approvals/views";
import { KIND_LABEL, describeMinutes } from "@/lib/domain/approvals/policy";
import { systemDeps } from "@/lib/domain/deps";
import { humanize } from "@/lib/format";
import { queryOf, type SearchParams } from "@/lib/pages";
import { buttonClass, TextField } from "@/components/ui/field";
import { PageHeader, Section } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { PrivilegeBadges } from "@/components/inventory/grant-badges";
import { RequestForm } from "@/components/requests/request-form";
import { submitRequest } from "../actions";

export const metadata: Metadata = { title: "Request access" };

const link = "text-blue-800 underline";
const RULE_LABEL = { manager: "Manager", app_owner: "Application owner", entitlement_owner: "Entitlement owner", named: "Named approver" } as const;

export default async function RequestAccessPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const parsed = requestFormQuery.parse(query);
  const { results, chosen } = await requestForm(systemDeps(db()), actor, parsed);
  const hrefFor = (entitlementId: string) => {
    const params = new URLSearchParams();
    if (parsed.q) params.set("q", parsed.q);
    params.set("entitlementId", entitlementId);
    return `/requests/new?${params.toString()}#request-form`;
  };

  return (
    <>
      <PageHeader title="Request access" subtitle="Find the entitlement you need, then say who it is for, for how long and why." />
      <form method="get" role="search" aria-label="Search entitlements" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <div className="w-80">
          <TextField label="Entitlement or application" name="q" value={parsed.q} placeholder="AdministratorAccess, Postgres prod" />
        </div>
        <button type="submit" className={buttonClass}>
          Search
        </button>
      </form>
      <Table caption="Entitlements you can request" headers={["Entitlement", "Application", "What it allows", "Policy", ""]}>
        {results.rows.length === 0 ? <EmptyRow colSpan={5}>No entitlement matches {parsed.q ? `“${parsed.q}”` : "yet"}.</EmptyRow> : null}
        {results.rows.map((e) => (
          <tr key={e.id} aria-current={chosen?.entitlement.id === e.id ? "true" : undefined} className={chosen?.entitlement.id === e.id ? "bg-blue-50" : undefined}>
            <Td>
              <Link className={link} href={`/entitlements/${e.id}`}>
                {e.name}
              </Link>{" "}
              <PrivilegeBadges privileged={e.privileged} breakGlass={e.breakGlass} />
            </Td>
            <Td>{e.applicationName}</Td>
            <Td className="max-w-md">{e.description ?? "—"}</Td>
            <Td>
              {e.allowedKinds.map((k) => KIND_LABEL[k]).join(", ")}
              {e.maxDurationMinutes ? <span className="block text-slate-600">at most {describeMinutes(e.maxDurationMinutes)}</span> : null}
            </Td>
            <Td>
              <Link className={link} href={hrefFor(e.id)} aria-label={`Request ${e.name} in ${e.applicationName}`}>
                Request
              </Link>
            </Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/requests/new" query={{ q: parsed.q, cursor: parsed.cursor }} nextCursor={results.nextCursor} />

      {chosen ? (
        <Section title={`Request ${chosen.entitlement.name} in ${chosen.entitlement.applicationName}`}>
          <div id="request-form" className="grid gap-4 lg:grid-cols-[minmax(0,7fr)_minmax(0,5fr)]">
            {!chosen.canRequest ? (
              <p className="rounded-lg border border-slate-200 bg-white p-4">Auditors read everything and change nothing, so they cannot request access.</p>
            ) : chosen.kinds.length === 0 ? (
              <p className="rounded-lg border border-slate-200 bg-white p-4">
                This entitlement&apos;s policy allows no kind of access to be requested. Its owner can change that on the entitlement&apos;s page.
              </p>
            ) : (
              <RequestForm
                action={submitRequest}
                entitlementId={chosen.entitlement.id}
                entitlementName={chosen.entitlement.name}
                kinds={chosen.kinds}
                beneficiaries={chosen.beneficiaries.map((b) => ({ ...b, self: b.id === actor.id }))}
                maxDurationMinutes={chosen.entitlement.maxDurationMinutes}
                requiresTicket={chosen.entitlement.requiresTicket}
                expiryHours={chosen.expiryHours}
              />
            )}
            <aside aria-label="Who approves" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
              <h3 className="font-semibold">Who approves a request for yourself</h3>
              {chosen.approvers.ok ? (
                <ol className="mt-2 list-decimal space-y-1 pl-5">
                  {chosen.approvers.steps.map((s) => (
                    <li key={s.rule}>
                      {RULE_LABEL[s.rule]}: {s.skipReason ? <span className="text-slate-600">skipped. {s.skipReason}</span> : s.names.length > 1 ? `any of ${s.names.join(", ")}` : s.names[0]}
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="mt-2 text-red-800">{chosen.approvers.reason}</p>
              )}
              <ul className="mt-3 space-y-1 text-slate-700">
                <li>Risk: {humanize(chosen.entitlement.riskLevel)}</li>
                {chosen.entitlement.privileged && chosen.entitlement.twoPersonRule ? <li>Privileged: two different people must approve.</li> : null}
                {chosen.entitlement.breakGlass ? <li>Break-glass: held as eligible; every use pages the owners and is reviewed within 24 hours.</li> : null}
                <li>Nobody approves their own request. A request for someone else goes to their approvers.</li>
              </ul>
            </aside>
          </div>
        </Section>
      ) : null}
    </>
  );
}
