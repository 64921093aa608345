import { outboundRequest, OutboundRefused } from "@/lib/http/outbound";
import { ConnectorError, type ConnectorContext, type Exchange } from "./types";

const SECRET_HEADERS = new Set(["authorization", "webhook-signature", "cookie", "x-api-key"]);

/** Replaces every occurrence of the given secrets in a text by "[redacted]". */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}

function redactHeaders(headers: Record<string, string>, secrets: readonly (string | null)[]) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.has(k.toLowerCase()) ? "[redacted]" : redact(v, secrets)]));
}

function parseJson(body: string): unknown {
  try {
    return body ? JSON.parse(body) : null;
  } catch {
    return undefined;
  }
}

/** Statuses worth repeating: the target is overloaded, down or slow, not refusing. */
export const isRetryableStatus = (status: number) => status >= 500 || status === 429 || status === 408;

/**
 * One call to the target, recorded in ctx.exchanges whatever happens (request and response, with
 * secret headers and the secret itself redacted). Network errors and timeouts become retryable
 * ConnectorErrors; the caller judges the status.
 */
export async function callTarget(
  ctx: ConnectorContext,
  phase: string,
  init: { method: "GET" | "POST" | "PATCH"; url: string; headers: Record<string, string>; body?: string },
  /** How the receipt reads the answer; by default 2xx is "ok". A read-back that still shows the access is "pending". */
  judge: (status: number, json: unknown) => Exchange["outcome"] = (status) => (status >= 200 && status < 300 ? "ok" : "error"),
): Promise<{ status: number; body: string; json: unknown }> {
  const secrets = [ctx.secret, ctx.callback.token];
  const request = { method: init.method, url: redact(init.url, secrets), headers: redactHeaders(init.headers, secrets), body: init.body === undefined ? undefined : redact(init.body, secrets) };
  const startedAt = ctx.now();
  try {
    const timeoutMs = typeof ctx.config.timeoutMs === "number" ? ctx.config.timeoutMs : 10_000;
    const response = await outboundRequest(init.url, { method: init.method, headers: init.headers, body: init.body, timeoutMs });
    const json = parseJson(response.body);
    const outcome = judge(response.status, json);
    await ctx.record({
      phase,
      request,
      response: { status: response.status, body: json === undefined ? redact(response.body.slice(0, 4_000), secrets) : JSON.parse(redact(JSON.stringify(json), secrets)) },
      outcome,
      error: outcome === "error" ? `HTTP ${response.status}` : null,
      startedAt,
      finishedAt: ctx.now(),
    });
    return { status: response.status, body: response.body, json };
  } catch (cause) {
    const refused = cause instanceof OutboundRefused;
    const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
    const message = refused
      ? `Refused to call the target: ${cause.message}`
      : timedOut
        ? `The target did not answer within ${typeof ctx.config.timeoutMs === "number" ? ctx.config.timeoutMs : 10_000} ms`
        : `Could not reach the target: ${describe(cause)}`;
    await ctx.record({ phase, request, response: null, outcome: "error", error: message, startedAt, finishedAt: ctx.now() });
    throw new ConnectorError(message, !refused);
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}

/** Turns a non-2xx answer into the error it means. */
export function failFor(what: string, status: number, detail?: string): never {
  const suffix = detail ? `: ${detail}` : "";
  if (status >= 300 && status < 400) throw new ConnectorError(`${what} answered with a redirect (HTTP ${status}), which is never followed`, false);
  if (status === 401 || status === 403) throw new ConnectorError(`${what} refused the credentials (HTTP ${status}); check the connector secret`, false);
  throw new ConnectorError(`${what} answered HTTP ${status}${suffix}`, isRetryableStatus(status));
}
