import type { Metadata } from "next";
import { z } from "zod";
import { notFound } from "next/navigation";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { reviewItemView } from "@/lib/domain/campaigns/review-views";
import { systemDeps } from "@/lib/domain/deps";
import { orNotFound } from "@/lib/pages";
import { EvidencePanel } from "@/components/reviews/evidence-panel";
import { DecisionPanel } from "@/components/reviews/decision-panel";
import { decisionTarget } from "@/components/reviews/review-links";
import { DecisionBadge } from "@/components/reviews/recommendation-badge";
import { PageHeader, Section } from "@/components/ui/page-header";
import { Table, Td, EmptyRow } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const metadata: Metadata = { title: "Review item" };

export default async function ReviewItemPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const item = await orNotFound(reviewItemView(systemDeps(db()), actor, { itemId: id }));
  return (
    <>
      <PageHeader title={`Review: ${item.evidence.entitlement.name} for ${item.evidence.identity.name}`} subtitle={`${item.campaign.name}${item.stage > 1 ? ` · stage ${item.stage}` : ""}`} />
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <EvidencePanel item={item} now={new Date()} />
        <DecisionPanel target={decisionTarget(item)} />
      </div>
      <Section title="Decision history" description="Every decision, including ones taken back, with the time spent and whether it was part of a bulk decision.">
        <Table caption="Decision history" captionHidden headers={["When", "Who", "Decision", "Comment", "Time spent", "Bulk", "Status"]}>
          {item.history.length === 0 ? (
            <EmptyRow colSpan={7}>No decision yet.</EmptyRow>
          ) : (
            item.history.map((h, i) => (
              <tr key={i}>
                <Td>
                  <Time value={h.at} />
                </Td>
                <Td>{h.actor}</Td>
                <Td>
                  <DecisionBadge value={h.decision} />
                  {h.reassignedTo ? ` to ${h.reassignedTo}` : ""}
                </Td>
                <Td>{h.comment ?? "—"}</Td>
                <Td>{h.secondsSpent === null ? "—" : `${h.secondsSpent} s`}</Td>
                <Td>{h.bulk ? "Yes" : "No"}</Td>
                <Td>{h.undone ? "Changed or undone" : "Current"}</Td>
              </tr>
            ))
          )}
        </Table>
      </Section>
    </>
  );
}
