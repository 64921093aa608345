import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { sodPageQuery, sodRulesPage } from "@/lib/domain/sod/views";
import { orNotFound, queryOf, type SearchParams } from "@/lib/pages";
import { SeverityBadge } from "@/components/findings/finding-badges";
import { PrivilegeBadges } from "@/components/inventory/grant-badges";
import { Badge } from "@/components/ui/badge";
import { secondaryButtonClass } from "@/components/ui/field";
import { PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { DeleteRule } from "./_components/delete-rule";
import { RuleForm } from "./_components/rule-form";

export const metadata: Metadata = { title: "Separation of duties" };

const link = "text-blue-800 underline";

export default async function SodRulesPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = sodPageQuery.parse(await queryOf(searchParams));
  const { rules, canManage, editing, asOf } = await orNotFound(sodRulesPage(systemDeps(db()), actor, query));
  const headers = ["Rule", "Entitlements (nobody may hold more than one)", "Severity", "Breaking it now", "Changed", ...(canManage ? ["Change"] : [])];
  return (
    <>
      <PageHeader
        title="Separation of duties"
        subtitle="Each rule is a set of entitlements, in one application or several, of which nobody may hold more than one. Whoever holds two or more has an SoD conflict finding."
      />
      {canManage ? (
        <Section
          title={editing ? `Edit ${editing.name}` : "New rule"}
          description="Each change recomputes the findings within moments: a new rule opens them, a changed or deleted one resolves those it no longer finds."
        >
          <RuleForm key={editing?.id ?? "new"} rule={editing} />
        </Section>
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm">You can read these rules; only admins change them.</p>
      )}
      <Section
        title="Rules"
        description={
          <>
            People breaking each rule are counted from live grants (active or awaiting revocation) as of <Time value={asOf} />. Their findings are on{" "}
            <Link className={link} href="/findings?kind=sod_conflict">
              Findings
            </Link>
            .
          </>
        }
      >
        <Table caption="Separation-of-duties rules" captionHidden headers={headers}>
          {rules.length === 0 ? <EmptyRow colSpan={headers.length}>No rules yet{canManage ? "; create the first one above" : ""}. Without rules, nobody can be in conflict.</EmptyRow> : null}
          {rules.map((r) => (
            <tr key={r.id}>
              <Td className="max-w-xs">
                <span className="font-medium">{r.name}</span>
                {r.description ? <span className="block text-slate-700">{r.description}</span> : null}
              </Td>
              <Td>
                <ul className="space-y-0.5">
                  {r.members.map((m) => (
                    <li key={m.id}>
                      <Link className={link} href={`/entitlements/${m.id}`}>
                        {m.name}
                      </Link>{" "}
                      <span className="text-slate-700">in {m.applicationName}</span> <PrivilegeBadges privileged={m.privileged} />
                    </li>
                  ))}
                </ul>
                {r.members.length < 2 ? (
                  <span className="mt-1 block">
                    <Badge tone="warn">Can never be broken: fewer than two entitlements left</Badge>
                  </span>
                ) : null}
              </Td>
              <Td>
                <SeverityBadge severity={r.severity} />
              </Td>
              <Td>{r.violators === 0 ? "Nobody" : `${r.violators.toLocaleString("en")} ${r.violators === 1 ? "person" : "people"}`}</Td>
              <Td>
                <Time value={r.updatedAt} />
                <span className="block text-slate-700">{r.createdByName ? `created by ${r.createdByName}` : "creator not recorded"}</span>
              </Td>
              {canManage ? (
                <Td>
                  <div className="flex flex-wrap items-start gap-2">
                    <Link className={secondaryButtonClass} href={`/admin/sod?edit=${r.id}`} aria-label={`Edit ${r.name}`}>
                      Edit
                    </Link>
                    <DeleteRule ruleId={r.id} name={r.name} violators={r.violators} />
                  </div>
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      </Section>
    </>
  );
}
