import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { activationLimitMinutes, describeMinutes, effectiveChain, KIND_LABEL } from "@/lib/domain/approvals/policy";
import { systemDeps } from "@/lib/domain/deps";
import { entitlementProfile } from "@/lib/domain/entitlements/profile";
import { humanize } from "@/lib/format";
import { orNotFound } from "@/lib/pages";
import { buttonClass } from "@/components/ui/field";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { PrivilegeBadges } from "@/components/inventory/grant-badges";
import { PolicyForm } from "./_components/policy-form";

export const metadata: Metadata = { title: "Entitlement" };

const link = "text-blue-800 underline";
const RULE = { manager: "manager", app_owner: "an application owner", entitlement_owner: "the entitlement owner", named: "a named approver" } as const;

/** Everyone named, with anyone who has since left or been suspended marked as such (they are no longer asked). */
function namedApproversText(people: { name: string; status: string }[]): string {
  if (people.length === 0) return "None named yet";
  return people.map((p) => (p.status === "active" ? p.name : `${p.name} (${p.status === "leaver" ? "has left" : "suspended"}; not asked)`)).join(", ");
}

export default async function EntitlementPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const e = await orNotFound(entitlementProfile(systemDeps(db()), actor, id));
  const chain = effectiveChain(e, e.ownerId !== null);
  return (
    <>
      <PageHeader
        title={e.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            in{" "}
            <Link className={link} href={`/applications/${e.applicationId}`}>
              {e.applicationName}
            </Link>
            <PrivilegeBadges privileged={e.privileged} breakGlass={e.breakGlass} />
          </span>
        }
      >
        {e.canRequest ? (
          <Link className={buttonClass} href={`/requests/new?entitlementId=${e.id}#request-form`}>
            Request {e.name}
          </Link>
        ) : null}
      </PageHeader>
      {e.description ? <p className="mb-4 max-w-3xl text-slate-800">{e.description}</p> : null}
      <Facts
        items={[
          ["Kind", humanize(e.kind)],
          ["Risk", humanize(e.riskLevel)],
          ["Application tier", humanize(e.applicationRiskTier)],
          ["Owner", e.ownerName ?? "No owner"],
          ["Application owners", e.applicationOwnerNames.join(", ") || "None"],
          [
            "Held by",
            <Link key="h" className={link} href={`/applications/${e.applicationId}?entitlementId=${e.id}#holders`}>
              {e.holders.standing} standing, {e.holders.time_bound} time-bound, {e.holders.eligible} eligible
            </Link>,
          ],
          ["Windows open now", String(e.openWindows)],
          ["Requests waiting", String(e.pendingRequests)],
        ]}
      />
      <Section
        title="Request policy"
        description={e.canManage ? "You can change this policy; every change is recorded in the audit trail." : "Set by the entitlement's owner or the application's owners."}
      >
        <Facts
          items={[
            ["May be requested as", e.breakGlass ? "Just-in-time only (break-glass)" : e.allowedKinds.map((k) => KIND_LABEL[k]).join(", ") || "Nothing"],
            ["Time-bound grants", e.maxDurationMinutes ? `at most ${describeMinutes(e.maxDurationMinutes)}` : "no maximum"],
            ["Each JIT window", `at most ${describeMinutes(activationLimitMinutes(e))}`],
            ["Approved by", chain.map((r) => RULE[r]).join(", then ")],
            ...(chain.includes("named") || e.namedApprovers.length > 0 ? [["Named approvers", namedApproversText(e.namedApprovers)] as [string, string]] : []),
            ["Ticket", e.requiresTicket ? "required" : "optional"],
            ["Two-person rule", e.privileged && e.twoPersonRule ? "two different approvers" : e.twoPersonRule ? "applies when privileged" : "off"],
          ]}
        />
        {e.canManage ? (
          <div className="mt-4 max-w-2xl">
            <PolicyForm policy={e} />
          </div>
        ) : null}
      </Section>
    </>
  );
}
