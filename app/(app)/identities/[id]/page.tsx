import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { getIdentityProfile } from "@/lib/domain/inventory/identities";
import { formatDuration, humanize } from "@/lib/format";
import { orNotFound } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { GrantTable } from "@/components/inventory/grant-table";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { IdentityStatusBadge, IdentityTypeBadge } from "@/components/inventory/identity-badges";
import { AdminControls } from "./_components/admin-controls";

export const metadata: Metadata = { title: "Identity" };

const link = "text-blue-800 underline";

export default async function IdentityPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const p = await orNotFound(getIdentityProfile(systemDeps(db()), actor, id));
  const { identity, viewer } = p;
  const now = viewer.now;
  return (
    <>
      <PageHeader
        title={identity.displayName}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <IdentityTypeBadge kind={identity.kind} type={identity.type} /> <IdentityStatusBadge status={identity.status} />
            {p.roles.map((r) => (
              <Badge key={r} tone="info">
                {r}
              </Badge>
            ))}
          </span>
        }
      />
      <Facts
        items={[
          ["Email", identity.email],
          ["Department", identity.department],
          ["Title", identity.title],
          ["Organisation", identity.organization],
          [
            identity.kind === "non_human" ? "Owner" : "Manager",
            identity.kind === "non_human" ? (
              identity.ownerId ? (
                <>
                  <Link className={link} href={`/identities/${identity.ownerId}`}>
                    {identity.ownerName}
                  </Link>{" "}
                  {identity.ownerStatus !== "active" ? <Badge tone="bad">owner is {identity.ownerStatus}</Badge> : null}
                </>
              ) : (
                <Badge tone="bad">No owner: nobody is accountable</Badge>
              )
            ) : identity.managerId ? (
              <Link className={link} href={`/identities/${identity.managerId}`}>
                {identity.managerName}
              </Link>
            ) : (
              "—"
            ),
          ],
          ["Source", `${identity.source}${identity.externalId ? ` · ${identity.externalId}` : ""}`],
          ["Started", identity.startedOn ?? "—"],
          ["Left", <Time key="left" value={identity.leftAt} />],
          ["Description", identity.description],
        ]}
      />
      {viewer.canAdminister ? (
        <Section title="Administration">
          <AdminControls identityId={identity.id} status={identity.status} roles={p.roles} isHuman={identity.kind === "human"} />
        </Section>
      ) : null}

      <Section title="Grants" description="Everything this identity holds, live grants first.">
        <GrantTable caption="Grants" rows={p.grants} columns={["application", "entitlement", "kind", "status", "live", "expires", "nextReview", "lastUsed"]} now={now} empty="No grants." />
      </Section>

      <Section title="Recent privileged sessions" description="The 20 most recent recorded sessions.">
        <Table caption="Recent privileged sessions" captionHidden headers={["Start", "End", "Duration", "Application", "Entitlement", "Target", "Source"]}>
          {p.sessions.length === 0 ? <EmptyRow colSpan={7}>No recorded privileged sessions.</EmptyRow> : null}
          {p.sessions.map((s) => (
            <tr key={s.id}>
              <Td>
                <Time value={s.startedAt} />
              </Td>
              <Td>{s.endedAt ? <Time value={s.endedAt} /> : <Badge tone="warn">Still open</Badge>}</Td>
              <Td>{s.durationSeconds === null ? "—" : formatDuration(s.durationSeconds)}</Td>
              <Td>{s.applicationName ?? "—"}</Td>
              <Td>
                {s.grantId ? (
                  <Link className={link} href={`/grants/${s.grantId}`}>
                    {s.entitlementName}
                  </Link>
                ) : (
                  (s.entitlementName ?? <Badge tone="bad">No grant</Badge>)
                )}
              </Td>
              <Td>{s.target ?? "—"}</Td>
              <Td>{s.source}</Td>
            </tr>
          ))}
        </Table>
      </Section>

      <Section title="Accounts">
        <Table caption="Accounts in applications" captionHidden headers={["Application", "Username", "Status", "Last login"]}>
          {p.accounts.length === 0 ? <EmptyRow colSpan={4}>No accounts linked.</EmptyRow> : null}
          {p.accounts.map((a) => (
            <tr key={a.id}>
              <Td>
                <Link className={link} href={`/applications/${a.applicationId}`}>
                  {a.applicationName}
                </Link>
              </Td>
              <Td className="font-mono">{a.username}</Td>
              <Td>{humanize(a.status)}</Td>
              <Td>
                <Time value={a.lastLoginAt} now={now} />
              </Td>
            </tr>
          ))}
        </Table>
      </Section>

      {p.credentials.length > 0 ? (
        <Section title="Credentials" description="Metadata only; Accord never stores the secret.">
          <Table caption="Credentials" captionHidden headers={["Kind", "Fingerprint", "Stored in", "Issued", "Last rotated", "Expires", "Last used"]}>
            {p.credentials.map((c) => (
              <tr key={c.id}>
                <Td>{humanize(c.kind)}</Td>
                <Td className="font-mono text-xs">{c.fingerprint}</Td>
                <Td>{c.storedIn ?? "—"}</Td>
                <Td>
                  <Time value={c.issuedAt} dateOnly />
                </Td>
                <Td>
                  <Time value={c.lastRotatedAt} now={now} />
                </Td>
                <Td>
                  <Time value={c.expiresAt} dateOnly />
                </Td>
                <Td>
                  <Time value={c.lastUsedAt} now={now} />
                </Td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}

      {p.owned.length > 0 || p.reports.length > 0 ? (
        <Section title="Responsible for">
          <ul className="grid gap-1 text-sm sm:grid-cols-2">
            {p.reports.map((r) => (
              <li key={r.id}>
                Report:{" "}
                <Link className={link} href={`/identities/${r.id}`}>
                  {r.displayName}
                </Link>{" "}
                {r.status !== "active" ? <IdentityStatusBadge status={r.status} /> : null}
              </li>
            ))}
            {p.owned.map((o) => (
              <li key={o.id}>
                Owns {humanize(o.type)}:{" "}
                <Link className={link} href={`/identities/${o.id}`}>
                  {o.displayName}
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {p.lifecycle.length > 0 ? (
        <Section title="Lifecycle">
          <ul className="text-sm">
            {p.lifecycle.map((e) => (
              <li key={e.id}>
                <Time value={e.occurredAt} /> · {humanize(e.kind)} · {e.source}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
