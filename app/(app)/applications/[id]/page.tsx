import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { mayAdminister, seesEverything } from "@/lib/domain/access/rules";
import { getApplicationProfile, holderFiltersSchema } from "@/lib/domain/inventory/applications";
import { humanize } from "@/lib/format";
import { orNotFound, queryOf, type SearchParams } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { GrantTable } from "@/components/inventory/grant-table";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { PrivilegeBadges } from "@/components/inventory/grant-badges";
import { PrivilegedToggle } from "./_components/privileged-toggle";

export const metadata: Metadata = { title: "Application" };

const link = "text-blue-800 underline";

export default async function ApplicationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const actor = await requireActor();
  const { id } = await params;
  const query = await queryOf(searchParams);
  const p = await orNotFound(getApplicationProfile(systemDeps(db()), actor, id, holderFiltersSchema.parse(query)));
  const { application: app } = p;
  const anyManageable = p.entitlements.some((e) => e.canManage);
  return (
    <>
      <PageHeader title={app.name} subtitle={app.description ?? undefined}>
        {p.viewer.isOwner ? <Badge tone="info">You own this application</Badge> : null}
        {seesEverything(actor) ? (
          <Link className={link} href={`/applications/${app.id}/connector`}>
            {mayAdminister(actor) ? "Configure the revocation connector" : "Revocation connector"}
          </Link>
        ) : null}
      </PageHeader>
      <Facts
        items={[
          ["Owners", p.owners.length ? p.owners.map((o) => `${o.displayName}${o.status !== "active" ? ` (${o.status})` : ""}`).join(", ") : "No owner"],
          ["Risk tier", humanize(app.riskTier)],
          ["Connector", `${humanize(app.connectorKind)}${app.hasConnectorSecret ? " · secret stored (encrypted)" : ""}`],
          ["Revocation SLA", `${app.revocationSlaHours} hours`],
          ["Credential rotation", `every ${app.credentialRotationDays} days`],
          ["Source", app.source],
        ]}
      />
      <Section title="Entitlements" description={anyManageable ? "You can change which entitlements count as privileged." : "Privileged entitlements count towards standing privilege."}>
        <Table caption="Entitlements" captionHidden headers={["Entitlement", "What it allows", "Risk", "Policy", "Owner", "Holders", ...(anyManageable ? ["Change"] : [])]}>
          {p.entitlements.length === 0 ? <EmptyRow colSpan={anyManageable ? 7 : 6}>No entitlements recorded.</EmptyRow> : null}
          {p.entitlements.map((e) => (
            <tr key={e.id}>
              <Td>
                <Link className={link} href={`/entitlements/${e.id}`}>
                  {e.name}
                </Link>{" "}
                <PrivilegeBadges privileged={e.privileged} breakGlass={e.breakGlass} />
                <span className="block text-slate-600">{humanize(e.kind)}</span>
              </Td>
              <Td>{e.description ?? "—"}</Td>
              <Td>{humanize(e.riskLevel)}</Td>
              <Td>
                {e.allowedKinds.map((k) => humanize(k)).join(", ")}
                {e.maxDurationMinutes ? <span className="block text-slate-600">max {Math.round(e.maxDurationMinutes / 60)} h</span> : null}
              </Td>
              <Td>{e.ownerName ?? "—"}</Td>
              <Td>
                <Link className={link} href={`/applications/${app.id}?entitlementId=${e.id}#holders`} aria-label={`Holders of ${e.name}`}>
                  {e.activeGrants} ({e.standingGrants} standing)
                </Link>
              </Td>
              {anyManageable ? <Td>{e.canManage ? <PrivilegedToggle entitlementId={e.id} name={e.name} privileged={e.privileged} /> : null}</Td> : null}
            </tr>
          ))}
        </Table>
      </Section>
      <Section
        title="Who holds what"
        description={p.viewer.seesAllHolders ? "Everyone holding live access to this application." : "Only the holders you may see (yourself, your reports and what they own)."}
      >
        <div id="holders" />
        <GrantTable caption="Holders" rows={p.holders.rows} columns={["identity", "entitlement", "kind", "status", "live", "granted", "expires"]} empty="Nobody you may see holds access here." />
        <Pager basePath={`/applications/${app.id}`} query={query} nextCursor={p.holders.nextCursor} />
      </Section>
    </>
  );
}
