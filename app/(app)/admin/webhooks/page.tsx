import type { Metadata } from "next";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { mayAdminister } from "@/lib/domain/access/rules";
import { systemDeps } from "@/lib/domain/deps";
import { webhookOverview } from "@/lib/domain/webhooks/subscriptions";
import { orNotFound } from "@/lib/pages";
import { ActionForm } from "@/components/ui/action-form";
import { Badge } from "@/components/ui/badge";
import { secondaryButtonClass } from "@/components/ui/field";
import { PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { sendTest, unsubscribe } from "./actions";
import { SubscribeForm } from "./_components/subscribe-form";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const actor = await requireActor();
  const { subscriptions, deliveries } = await orNotFound(webhookOverview(systemDeps(db()), actor));
  const admin = mayAdminister(actor);
  return (
    <>
      <PageHeader title="Webhooks" subtitle="Each delivery is a POST signed with HMAC-SHA256 (headers webhook-id, webhook-timestamp, webhook-signature), retried with backoff until it gets a 2xx.">
        {admin ? (
          <ActionForm action={sendTest} successMessage="Test event queued.">
            <button type="submit" className={secondaryButtonClass}>
              Send a test event
            </button>
          </ActionForm>
        ) : null}
      </PageHeader>
      {admin ? (
        <Section title="Subscribe">
          <SubscribeForm />
        </Section>
      ) : null}
      <Section title="Subscriptions">
        <Table caption="Webhook subscriptions" captionHidden headers={["Name", "URL", "Events", "Delivered", "Pending", "Failed", "State", ...(admin ? ["Stop"] : [])]}>
          {subscriptions.length === 0 ? <EmptyRow colSpan={admin ? 8 : 7}>No subscriptions yet.</EmptyRow> : null}
          {subscriptions.map((s) => (
            <tr key={s.id}>
              <Td>{s.name}</Td>
              <Td className="font-mono text-xs break-all">{s.url}</Td>
              <Td className="font-mono text-xs">{s.events.join(", ")}</Td>
              <Td>{s.delivered}</Td>
              <Td>{s.pending}</Td>
              <Td>{s.failed > 0 ? <Badge tone="bad">{s.failed} failed</Badge> : 0}</Td>
              <Td>{s.active ? <Badge tone="good">Active</Badge> : <Badge>Stopped</Badge>}</Td>
              {admin ? (
                <Td>
                  {s.active ? (
                    <ActionForm action={unsubscribe} successMessage="Stopped.">
                      <input type="hidden" name="subscriptionId" value={s.id} />
                      <button type="submit" className={secondaryButtonClass}>
                        Stop {s.name}
                      </button>
                    </ActionForm>
                  ) : null}
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      </Section>
      <Section title="Recent deliveries" description="Failures stay listed with their cause; nothing is dropped silently.">
        <Table caption="Recent deliveries" captionHidden headers={["Created", "Subscription", "Event", "State", "Attempts", "Last response", "Delivered"]}>
          {deliveries.length === 0 ? <EmptyRow colSpan={7}>No deliveries yet.</EmptyRow> : null}
          {deliveries.map((d) => (
            <tr key={d.id}>
              <Td>
                <Time value={d.createdAt} />
              </Td>
              <Td>{d.subscriptionName}</Td>
              <Td className="font-mono text-xs">{d.eventType}</Td>
              <Td>
                <Badge tone={d.status === "delivered" ? "good" : d.status === "failed" ? "bad" : "warn"}>{d.status}</Badge>
              </Td>
              <Td>{d.attempts}</Td>
              <Td>{d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "—")}</Td>
              <Td>
                <Time value={d.deliveredAt} />
              </Td>
            </tr>
          ))}
        </Table>
      </Section>
    </>
  );
}
