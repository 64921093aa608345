import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { mayAdminister, seesEverything } from "@/lib/domain/access/rules";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Administration" };

const areas = [
  { href: "/admin/import", title: "Bulk import", text: "Load identities, applications, accounts, entitlements and grants from CSV or JSON, all or nothing.", adminOnly: true },
  { href: "/admin/tokens", title: "API tokens", text: "Scoped tokens for SCIM provisioning, evidence ingest and the HTTP API.", adminOnly: false },
  { href: "/admin/sod", title: "Separation of duties", text: "Sets of entitlements nobody may hold more than one of, and who breaks each rule now.", adminOnly: false },
  { href: "/admin/webhooks", title: "Webhooks", text: "Signed notifications to other systems, with a delivery log.", adminOnly: false },
  { href: "/evidence", title: "Evidence export", text: "Campaign and period evidence as CSV, JSON or a signed bundle auditors verify offline; audit checkpoints.", adminOnly: false },
  { href: "/api/v1/openapi.json", title: "OpenAPI document", text: "The HTTP API, generated from the schemas that validate it.", adminOnly: false },
];

export default async function AdminPage() {
  const actor = await requireActor();
  if (!seesEverything(actor)) notFound();
  return (
    <>
      <PageHeader title="Administration" subtitle="Getting data in and out of Accord. Auditors can look; only admins change anything." />
      <ul className="grid gap-4 sm:grid-cols-2">
        {areas
          .filter((a) => !a.adminOnly || mayAdminister(actor))
          .map((a) => (
            <li key={a.href}>
              <Link href={a.href} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-blue-700">
                <span className="block font-semibold text-blue-900">{a.title}</span>
                <span className="block text-sm text-slate-700">{a.text}</span>
              </Link>
            </li>
          ))}
      </ul>
    </>
  );
}
