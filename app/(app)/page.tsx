import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { getOverview } from "@/lib/domain/inventory/overview";
import { PageHeader, Section } from "@/components/ui/page-header";
import { GrantTable } from "@/components/inventory/grant-table";
import { Time } from "@/components/ui/time";

function Stat({ label, value, href }: { label: string; value: number; href: string }) {
  return (
    <Link href={href} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-blue-700">
      <span className="block text-sm text-slate-700">{label}</span>
      <span className="block text-3xl font-semibold">{value.toLocaleString("en")}</span>
    </Link>
  );
}

export default async function OverviewPage() {
  const actor = await requireActor();
  const overview = await getOverview(systemDeps(db()), actor);
  const scopeWord = actor.roles.length > 0 ? "in the organisation" : "in your scope";
  return (
    <>
      <PageHeader
        title={`Hello, ${actor.displayName}`}
        subtitle={
          <>
            Figures as of <Time value={overview.asOf} />.
          </>
        }
      >
        <Link href="/dashboard" className="text-sm font-medium text-blue-800 underline underline-offset-2">
          Is standing privilege going down? Open the dashboard
        </Link>
      </PageHeader>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label={`Identities ${scopeWord}`} value={overview.identities.total} href="/identities" />
        <Stat label="Non-human identities" value={overview.identities.nonHuman} href="/identities?category=non_human" />
        <Stat label="Active grants" value={overview.grants.active} href="/grants?status=active" />
        <Stat label="Standing privileged grants" value={overview.grants.standingPrivileged} href="/grants?status=active&kind=standing&privileged=1" />
      </div>
      <Section title="Your access" description="What you hold today. Privileged standing access is always on; ask for time-bound or just-in-time access instead where you can.">
        <GrantTable
          caption="Your active grants"
          rows={overview.myGrants}
          columns={["application", "entitlement", "kind", "status", "expires", "lastUsed"]}
          now={overview.asOf}
          empty="You hold no access that Accord knows of."
        />
      </Section>
    </>
  );
}
