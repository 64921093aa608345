import { z } from "zod";
import { revocationCallbackBody } from "@/lib/api/contracts";
import { getRevocationWork } from "@/db/queries/revocations";
import { openSecret } from "@/lib/crypto/secret-box";
import { verifyWebhook } from "@/lib/http/webhook-signature";
import type { Deps } from "@/lib/domain/deps";
import { checkCallbackToken } from "./callback-token";
import { markFailed, markVerified } from "./outcomes";

/** The same schema the OpenAPI document describes. */
const callbackBody = revocationCallbackBody;

export interface CallbackRequest {
  revocationId: string;
  authorization: string | null;
  signature: { id: string | null; timestamp: string | null; signature: string | null };
  body: string;
}

export type CallbackAnswer = { status: 200 | 400 | 401 | 404 | 409; body: Record<string, unknown> };

/**
 * A webhook receiver confirms a revocation: POST /api/v1/revocations/{id}/callback, authenticated
 * either by the per-revocation token from the event (Authorization: Bearer rvk_…) or by signing the
 * callback like Accord signs its events (webhook-id, webhook-timestamp, webhook-signature with the
 * connector's secret). Anything else is 401, and a revocation that is not a webhook one is 404.
 * Repeating a confirmation is harmless (200 with the current state).
 */
export async function receiveRevocationCallback(deps: Deps, request: CallbackRequest): Promise<CallbackAnswer> {
  const unauthorized: CallbackAnswer = { status: 401, body: { error: { code: "UNAUTHENTICATED", message: "Missing or invalid callback token or signature." } } };
  if (!z.uuid().safeParse(request.revocationId).success) return unauthorized;
  const work = await getRevocationWork(deps.db, { revocationId: request.revocationId });
  if (!work || work.revocation.connectorKind !== "webhook" || !work.application.connectorSecret) return unauthorized;
  let secret: string;
  try {
    secret = openSecret(work.application.connectorSecret);
  } catch {
    return unauthorized;
  }
  const bearer = request.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const authenticated = bearer ? checkCallbackToken(secret, work.revocation.id, bearer) : verifyWebhook(secret, request.signature, request.body, deps.now());
  if (!authenticated) return unauthorized;

  let parsed: z.infer<typeof callbackBody>;
  try {
    const result = callbackBody.safeParse(JSON.parse(request.body));
    if (!result.success) {
      return {
        status: 400,
        body: { error: { code: "INVALID", message: "The callback body is not valid.", fields: Object.fromEntries(result.error.issues.map((i) => [i.path.join(".") || "body", [i.message]])) } },
      };
    }
    parsed = result.data;
  } catch {
    return { status: 400, body: { error: { code: "INVALID", message: "The callback body is not JSON." } } };
  }

  const status = work.revocation.status;
  if (status === "verified" || status === "failed") {
    const agrees = (status === "verified") === (parsed.status === "removed");
    return agrees ? { status: 200, body: { revocationId: work.revocation.id, status } } : { status: 409, body: { error: { code: "CONFLICT", message: `The revocation is already ${status}.` } } };
  }
  const at = deps.now();
  const exchange = {
    phase: "callback",
    request: { status: parsed.status, detail: parsed.detail ?? null, authenticatedBy: bearer ? "token" : "signature" },
    response: { status: 200 },
    outcome: parsed.status === "removed" ? ("ok" as const) : ("error" as const),
    error: parsed.status === "failed" ? (parsed.detail ?? "The receiver reports the removal failed") : null,
    startedAt: at,
    finishedAt: at,
  };
  const actor = { kind: "system" as const, id: null, label: `${work.application.name} (webhook callback)` };
  const attempt = Math.max(1, work.revocation.attempts);
  if (parsed.status === "removed") {
    await deps.db.transaction((tx) => markVerified(deps, tx, work, { method: "callback", attempt, exchanges: [exchange], actor, note: parsed.detail ?? null }));
  } else {
    await deps.db.transaction((tx) =>
      markFailed(deps, tx, work, { attempt, exchanges: [exchange], error: `The receiver reports the removal failed${parsed.detail ? `: ${parsed.detail}` : ""}`, actor }),
    );
  }
  const now = await getRevocationWork(deps.db, { revocationId: work.revocation.id });
  return { status: 200, body: { revocationId: work.revocation.id, status: now?.revocation.status } };
}
