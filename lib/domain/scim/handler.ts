import { randomUUID } from "node:crypto";
import type { Deps } from "@/lib/domain/deps";
import { authenticateApiToken } from "@/lib/domain/tokens/api-tokens";
import { scimPrincipal } from "./context";
import { MAX_BODY_BYTES } from "./discovery";
import { ScimError, errorBody, invalidSyntax, toScimError } from "./errors";
import { dispatch, type Call } from "./endpoints";

/**
 * The SCIM 2.0 server (RFC 7643/7644) as a plain function: the Next route hands it the
 * request and sends back what it returns, and integration tests call it directly.
 */
export interface ScimRequest {
  method: string;
  /** The full request URL, with its query string. */
  url: string;
  headers: Headers | Record<string, string | undefined>;
  /** The raw body; null when there is none. The adapter stops reading past the limit. */
  body: string | null;
  /** Set by the adapter when the body passed MAX_BODY_BYTES while it was read. */
  bodyTooLarge?: boolean;
  /** The path below /api/scim/v2 ("/Users/123"); read from `url` when omitted. */
  path?: string;
  /** The public base URL of the SCIM API, for meta.location; defaults to the request URL's. */
  baseUrl?: string;
}

export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export const SCIM_PREFIX = "/api/scim/v2";
const CONTENT_TYPE = "application/scim+json; charset=utf-8";

function headerReader(headers: ScimRequest["headers"]): (name: string) => string | null {
  if (headers instanceof Headers) return (name) => headers.get(name);
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => lower.get(name.toLowerCase()) ?? null;
}

function respond(status: number, body: unknown, extra: Record<string, string> = {}): ScimResponse {
  const headers: Record<string, string> = { "cache-control": "no-store", ...extra };
  if (body === undefined) return { status, headers, body: null };
  return { status, headers: { "content-type": CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}

function failure(error: ScimError, extra: Record<string, string> = {}): ScimResponse {
  return respond(error.status, errorBody(error), extra);
}

function tooLarge(): ScimResponse {
  return failure(new ScimError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
}

function segmentsOf(request: ScimRequest, url: URL): string[] {
  const path = request.path ?? (url.pathname.toLowerCase().startsWith(SCIM_PREFIX.toLowerCase()) ? url.pathname.slice(SCIM_PREFIX.length) : url.pathname);
  return path
    .split("/")
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

export async function handleScimRequest(deps: Deps, request: ScimRequest): Promise<ScimResponse> {
  const header = headerReader(request.headers);
  // Refused before authentication and before parsing: a body this size is never read (the maxPayloadSize of RFC 7644 §3.7, for every request).
  const declared = Number(header("content-length") ?? "0");
  if (request.bodyTooLarge || declared > MAX_BODY_BYTES || (request.body !== null && Buffer.byteLength(request.body) > MAX_BODY_BYTES)) return tooLarge();

  const requestId = randomUUID();
  try {
    const url = new URL(request.url);
    const principal = scimPrincipal(await authenticateApiToken(deps, header("authorization"), "scim"));
    const method = request.method.toUpperCase();
    let parsed: { value: unknown } | null = null;
    const call: Call = {
      method,
      segments: segmentsOf(request, url),
      query: url.searchParams,
      header,
      baseUrl: (request.baseUrl ?? `${url.origin}${SCIM_PREFIX}`).replace(/\/+$/, ""),
      json: () => {
        if (parsed) return parsed.value;
        if (request.body === null || request.body.trim() === "") throw invalidSyntax("The request needs a JSON body.");
        try {
          parsed = { value: JSON.parse(request.body) };
        } catch {
          throw invalidSyntax("The request body is not valid JSON.");
        }
        return parsed.value;
      },
    };
    const outcome = await dispatch(deps, principal, call);
    const extra: Record<string, string> = {};
    if (outcome.etag) extra.etag = outcome.etag;
    if (outcome.location && outcome.status === 201) extra.location = outcome.location;
    return respond(outcome.status, outcome.status === 204 || outcome.status === 304 ? undefined : outcome.body, extra);
  } catch (thrown) {
    const { error, internal } = toScimError(thrown);
    if (internal) {
      console.error(`[scim] request ${requestId} failed`, thrown);
      return failure(new ScimError(500, `Internal error (request ${requestId}).`));
    }
    if (error.status === 401) return failure(error, { "www-authenticate": 'Bearer realm="accord-scim"' });
    return failure(error);
  }
}

/**
 * Reads a request body up to MAX_BODY_BYTES, stopping as soon as it is exceeded, so an
 * oversized or endless body costs at most the limit.
 */
export async function readLimitedBody(request: Request): Promise<{ body: string | null; tooLarge: boolean }> {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) return { body: null, tooLarge: true };
  if (!request.body) return { body: null, tooLarge: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return { body: null, tooLarge: true };
    }
    chunks.push(value);
  }
  return { body: Buffer.concat(chunks).toString("utf8"), tooLarge: false };
}
