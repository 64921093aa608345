import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { mayAdminister } from "@/lib/domain/access/rules";
import { systemDeps } from "@/lib/domain/deps";
import { getConnectorSettings } from "@/lib/domain/revocations/configure-connector";
import { humanize } from "@/lib/format";
import { orNotFound } from "@/lib/pages";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { ConnectorForm } from "./_components/connector-form";

export const metadata: Metadata = { title: "Revocation connector" };

export default async function ConnectorPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const settings = await orNotFound(getConnectorSettings(systemDeps(db()), actor, id));
  return (
    <>
      <PageHeader
        title={`Revocation connector of ${settings.application.name}`}
        subtitle="How Accord removes access in this application and checks that it is gone. Secrets are stored encrypted and never shown again."
      >
        <Link className="text-blue-800 underline" href={`/applications/${settings.application.id}`}>
          Back to {settings.application.name}
        </Link>
      </PageHeader>
      <Section title="Current settings">
        <Facts
          items={[
            ["Connector", humanize(settings.kind)],
            ["Revocation SLA", `${settings.slaHours} hours`],
            ["Secret", settings.hasSecret ? "Stored (encrypted)" : "None"],
            ...(settings.kind === "scim"
              ? ([
                  ["SCIM base URL", settings.baseUrl],
                  ["Removal", humanize(settings.action)],
                  ["Group mapping", settings.groupMapping || "— (entitlement external ids)"],
                ] as [string, string][])
              : []),
            ...(settings.kind === "webhook"
              ? ([
                  ["Receiver URL", settings.url],
                  ["Status URL", settings.statusUrl || `— (waits for the callback; the event is sent again when none comes within the ${settings.slaHours} h SLA)`],
                ] as [string, string][])
              : []),
          ]}
        />
      </Section>
      {mayAdminister(actor) ? (
        <Section title="Change">
          <ConnectorForm settings={settings} />
        </Section>
      ) : (
        <p className="text-slate-700">Only admins change connectors.</p>
      )}
    </>
  );
}
