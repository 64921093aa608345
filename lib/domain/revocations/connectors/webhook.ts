import { webhookHeaders } from "@/lib/http/webhook-signature";
import { callTarget, failFor } from "./http";
import { webhookConfigSchema, type WebhookConfig } from "./config";
import { ConnectorError, type Connector, type ConnectorContext, type ReadBack } from "./types";

function settings(ctx: ConnectorContext): WebhookConfig {
  const parsed = webhookConfigSchema.safeParse(ctx.config);
  if (!parsed.success) throw new ConnectorError(`The webhook connector is not configured: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`, false);
  if (!ctx.secret) throw new ConnectorError("The webhook connector has no signing secret; an admin must set one", false);
  return parsed.data;
}

/** The JSON event a receiver gets: what to remove, from whom, and how to confirm. */
export function revocationEvent(ctx: ConnectorContext) {
  const { work } = ctx;
  return {
    id: work.revocation.id,
    type: "revocation.requested",
    occurredAt: work.revocation.requestedAt.toISOString(),
    data: {
      revocationId: work.revocation.id,
      idempotencyKey: work.revocation.idempotencyKey,
      cause: work.revocation.cause,
      grant: { id: work.grant.id, kind: work.grant.kind },
      identity: { id: work.identity.id, displayName: work.identity.displayName, email: work.identity.email },
      account: work.account ? { username: work.account.username, externalId: work.account.externalId } : null,
      entitlement: { id: work.entitlement.id, name: work.entitlement.name, externalId: work.entitlement.externalId },
      application: { id: work.application.id, name: work.application.name },
      callback: { url: ctx.callback.url, token: ctx.callback.token },
    },
  };
}

/**
 * Signed webhook: POSTs the event with Standard Webhooks headers (webhook-id is the revocation id,
 * identical on every retry, so the receiver de-duplicates). A 2xx means applied. Verified when the
 * receiver calls back, or, with a status URL, when polling it reports "removed".
 */
export const webhookConnector: Connector = {
  async apply(ctx) {
    const config = settings(ctx);
    const body = JSON.stringify(revocationEvent(ctx));
    const headers = { ...webhookHeaders(ctx.secret!, ctx.work.revocation.id, ctx.now(), body), "idempotency-key": ctx.work.revocation.idempotencyKey };
    const res = await callTarget(ctx, "dispatch", { method: "POST", url: config.url, headers, body });
    if (res.status < 200 || res.status >= 300) failFor("The receiver", res.status);
  },

  async readBack(ctx): Promise<ReadBack> {
    const config = settings(ctx);
    if (!config.statusUrl) return "unknown";
    const url = config.statusUrl.replaceAll("{revocationId}", encodeURIComponent(ctx.work.revocation.id));
    const headers = { accept: "application/json", ...webhookHeaders(ctx.secret!, ctx.work.revocation.id, ctx.now(), "") };
    delete (headers as Record<string, string>)["content-type"];
    const res = await callTarget(ctx, "verify", { method: "GET", url, headers }, (status, json) => {
      const reported = (json as { status?: string } | null)?.status;
      return status === 200 && reported === "removed" ? "ok" : status === 200 && reported !== "failed" ? "pending" : "error";
    });
    if (res.status !== 200) failFor("The status URL", res.status);
    const status = (res.json as { status?: string } | null)?.status;
    if (status === "removed") return "absent";
    if (status === "failed")
      throw new ConnectorError(`The receiver reports the removal failed${(res.json as { detail?: string }).detail ? `: ${(res.json as { detail?: string }).detail}` : ""}`, false);
    return "present";
  },
};
