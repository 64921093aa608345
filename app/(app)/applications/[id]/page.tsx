import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { getApplicationProfile, holderFiltersSchema } from "@/lib/domain/inventory/applications";
import { humanize } from "@/lib/format";
import { orNotFound, queryOf, type SearchParams } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { GrantKindBadge, LiveStateBadge, PrivilegeBadges } from "@/components/inventory/grant-badges";
import { IdentityTypeBadge } from "@/components/inventory/identity-badges";
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
                <Link className={link} href={`/applications/${app.id}?entitlementId=${e.id}#holders`}>
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
                {e.activeGrants} ({e.standingGrants} standing)
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
        <Table caption="Holders" captionHidden headers={["Identity", "Entitlement", "Kind", "In target", "Granted", "Expires"]}>
          {p.holders.rows.length === 0 ? <EmptyRow colSpan={6}>Nobody you may see holds access here.</EmptyRow> : null}
          {p.holders.rows.map((g) => (
            <tr key={g.id}>
              <Td>
                <Link className={link} href={`/identities/${g.identityId}`}>
                  {g.identityName}
                </Link>{" "}
                <IdentityTypeBadge kind={g.identityType === "employee" || g.identityType === "contractor" || g.identityType === "third_party" ? "human" : "non_human"} type={g.identityType} />
              </Td>
              <Td>
                <Link className={link} href={`/grants/${g.id}`}>
                  {g.entitlementName}
                </Link>{" "}
                <PrivilegeBadges privileged={g.privileged} breakGlass={g.breakGlass} />
              </Td>
              <Td>
                <GrantKindBadge kind={g.kind} />
              </Td>
              <Td>
                <LiveStateBadge state={g.liveState} />
              </Td>
              <Td>
                <Time value={g.grantedAt} dateOnly />
              </Td>
              <Td>
                <Time value={g.expiresAt} />
              </Td>
            </tr>
          ))}
        </Table>
        <Pager basePath={`/applications/${app.id}`} query={query} nextCursor={p.holders.nextCursor} />
      </Section>
    </>
  );
}
