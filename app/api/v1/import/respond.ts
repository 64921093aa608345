import { isDomainError } from "@/lib/errors";
import { env } from "@/lib/env";

/** JSON answers for the import endpoints the browser calls; never cached (progress changes). */
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export const notFound = () => json({ code: "NOT_FOUND", message: "Not found." }, 404);
export const unauthenticated = () => json({ code: "UNAUTHENTICATED", message: "Your session has ended. Please sign in again." }, 401);

/**
 * Typed domain errors become their status; "forbidden" is a 404 like everywhere else, so the
 * endpoint does not reveal that imports exist to someone who may not run them.
 */
export function fromError(error: unknown, where: string): Response {
  if (isDomainError(error)) {
    if (error.code === "FORBIDDEN" || error.code === "NOT_FOUND") return notFound();
    const status = error.code === "CONFLICT" ? 409 : error.code === "UNAUTHENTICATED" ? 401 : 400;
    return json({ code: error.code, message: error.message, fieldErrors: error.fieldErrors }, status);
  }
  const reference = crypto.randomUUID();
  console.error(`[${where}] request ${reference}`, error);
  return json({ code: "INTERNAL", message: `Something went wrong and nothing was saved. Reference: ${reference}` }, 500);
}

/**
 * Cookie-authenticated POSTs must come from Accord's own pages (as Next checks for server
 * actions): a form on another site must not be able to upload with an admin's cookie.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") !== "cross-site";
  try {
    const host = new URL(origin).host;
    return host === new URL(env().AUTH_URL).host || host === request.headers.get("host");
  } catch {
    return false;
  }
}
