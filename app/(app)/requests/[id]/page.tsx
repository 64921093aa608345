import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { requestView } from "@/lib/domain/approvals/views";
import { systemDeps } from "@/lib/domain/deps";
import { orNotFound } from "@/lib/pages";
import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { PrivilegeBadges } from "@/components/inventory/grant-badges";
import { durationText, RequestKindBadge, RequestStatusBadge } from "@/components/requests/request-badges";
import { RequestTimeline } from "@/components/requests/request-timeline";
import { withdrawRequest } from "../actions";

export const metadata: Metadata = { title: "Request" };

const link = "text-blue-800 underline";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const deps = systemDeps(db());
  const view = await orNotFound(requestView(deps, actor, id));
  const { request } = view;
  const forWhom = request.beneficiaryId === request.requesterId ? "" : ` for ${request.beneficiaryName}`;
  return (
    <>
      <PageHeader
        title={`${request.requesterName} requests ${request.entitlementName}${forWhom}`}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            in{" "}
            <Link className={link} href={`/entitlements/${request.entitlementId}`}>
              {request.applicationName}
            </Link>
            <RequestKindBadge kind={request.kind} /> <RequestStatusBadge status={request.status} /> <PrivilegeBadges privileged={request.privileged} breakGlass={request.breakGlass} />
          </span>
        }
      >
        <div className="flex flex-wrap gap-2">
          {view.decision?.allowed ? (
            <Link className={buttonClass} href={`/approvals?request=${request.id}`}>
              Decide this request
            </Link>
          ) : null}
          {request.grantId ? (
            <Link className={buttonClass} href={`/grants/${request.grantId}`}>
              Open the grant
            </Link>
          ) : null}
          {view.canWithdraw ? (
            <ActionForm action={withdrawRequest} successMessage="Request withdrawn.">
              <input type="hidden" name="requestId" value={request.id} />
              <button type="submit" className={secondaryButtonClass}>
                Withdraw request
              </button>
            </ActionForm>
          ) : null}
        </div>
      </PageHeader>
      <Facts
        items={[
          ["For", request.beneficiaryName],
          ["Requested by", request.requesterName],
          ["Duration", durationText(request.kind, request.durationMinutes)],
          ["Ticket", request.ticket ?? "—"],
          ["Requested", <Time key="c" value={request.createdAt} now={deps.now()} />],
          [request.status === "pending" ? "Expires if undecided" : "Decided", <Time key="d" value={request.status === "pending" ? request.expiresAt : request.decidedAt} now={deps.now()} />],
        ]}
      />
      <Section title="Status, step by step">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <RequestTimeline request={request} steps={view.steps} />
        </div>
      </Section>
    </>
  );
}
