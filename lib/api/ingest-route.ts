import { findApplicationRef } from "@/db/queries/evidence-ingest";
import type { Deps } from "@/lib/domain/deps";
import { ingestEvents, IngestInterrupted, type IngestResult } from "@/lib/domain/ingest/ingest";
import { authenticateApiToken, tokenAuditActor } from "@/lib/domain/tokens/api-tokens";
import { isDomainError } from "@/lib/errors";
import { ingestEventsQuery } from "./contracts";
import { addressLimited, apiError, DOMAIN_ERROR_STATUS, tokenLimited } from "./route";

/** A request may carry this much NDJSON (after decompression); split larger uploads. */
export const MAX_INGEST_BYTES = 256 * 1024 * 1024;

class BodyUnreadable extends Error {}

/** Tells a broken upload (aborted, corrupt gzip) apart from a failure on Accord's side. */
async function* readable(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    while (!done) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new BodyUnreadable((error as Error).message, { cause: error });
      }
      done = chunk.done;
      if (chunk.value) yield chunk.value;
    }
  } finally {
    // Stopped early (over the limit): stop receiving the rest.
    if (!done) await reader.cancel().catch(() => {});
  }
}

/**
 * POST /api/v1/events?format=…&application=…: evidence as NDJSON, read as it streams in (never
 * buffered whole), with a bearer token scoped events:write. Cookies are never consulted. Like
 * every /api/v1 route: rate-limited per address and per token, 413 before reading an oversized
 * body, 400 naming the parameter at fault. gzip bodies (Content-Encoding: gzip) are accepted.
 *
 * A factory so the integration test can serve it on loopback with its own database.
 */
export function ingestRoute(deps: () => Deps, limits: { maxBytes?: number } = {}) {
  const maxBytes = limits.maxBytes ?? MAX_INGEST_BYTES;
  return async (request: Request): Promise<Response> => {
    const limited = addressLimited(request);
    if (limited) return limited;
    if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return apiError(413, "TOO_LARGE", `Send at most ${maxBytes / 2 ** 20} MB of NDJSON per request.`);
    try {
      const d = deps();
      const token = await authenticateApiToken(d, request.headers.get("authorization"), "events:write");
      const overLimit = tokenLimited(token.id);
      if (overLimit) return overLimit;
      const parsed = ingestEventsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      if (!parsed.success) {
        const fields: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) (fields[issue.path.join(".") || "query"] ??= []).push(issue.message);
        return apiError(400, "INVALID", "The query parameters are not valid.", fields);
      }
      const { format, application } = parsed.data;
      if (!application && format !== "generic") {
        return apiError(400, "INVALID", "Name the application the events belong to.", { application: ["Required for this format: the application's id or exact name."] });
      }
      const app = application ? await findApplicationRef(d.db, { ref: application }) : null;
      if (application && !app) return apiError(400, "INVALID", "No such application.", { application: [`No application has the id or name "${application.slice(0, 100)}".`] });

      const encoding = request.headers.get("content-encoding")?.trim().toLowerCase();
      if (encoding && encoding !== "gzip" && encoding !== "identity") return apiError(415, "UNSUPPORTED_ENCODING", "Send the body plain or gzip-compressed.");
      const raw = request.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
      const body = encoding === "gzip" ? raw.pipeThrough(new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>) : raw;
      const source = token.source ?? format;
      const answer = (result: IngestResult, status = 200) => Response.json({ source, ...result }, { status, headers: { "cache-control": "no-store" } });
      try {
        return answer(await ingestEvents(d, tokenAuditActor(token), { format, source, applicationId: app?.id ?? null }, readable(body), { maxBytes }));
      } catch (error) {
        if (!(error instanceof IngestInterrupted)) throw error;
        if (error.reason === "too_large") return Response.json({ error: { code: "TOO_LARGE", message: error.message }, source, ...error.result }, { status: 413 });
        if (error.cause instanceof BodyUnreadable) {
          return Response.json(
            {
              error: { code: "INVALID", message: `The body could not be read (${error.cause.message.slice(0, 200)}); lines up to ${error.result.committedThroughLine} were ingested.` },
              source,
              ...error.result,
            },
            { status: 400 },
          );
        }
        console.error("[api] ingest interrupted", error.cause);
        return Response.json({ error: { code: "INTERRUPTED", message: error.message }, source, ...error.result }, { status: 500 });
      }
    } catch (error) {
      if (isDomainError(error)) return apiError(DOMAIN_ERROR_STATUS[error.code], error.code, error.message, error.fieldErrors);
      console.error("[api]", error);
      return apiError(500, "INTERNAL", "Something went wrong; nothing was changed.");
    }
  };
}
