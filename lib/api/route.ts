import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { db } from "@/db/client";
import { clientAddress, RateLimiter } from "@/lib/http/rate-limit";
import { systemDeps, type Deps } from "@/lib/domain/deps";
import { authenticateApiToken, type TokenPrincipal, type TokenScope } from "@/lib/domain/tokens/api-tokens";
import { isDomainError } from "@/lib/errors";

const MAX_BODY_BYTES = 1024 * 1024;
const perToken = new RateLimiter(600, 60_000);
const perAddress = new RateLimiter(120, 60_000);

const statusFor = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, INVALID: 400 } as const;

export function apiError(status: number, code: string, message: string, fields?: Record<string, string[]>, headers?: Record<string, string>) {
  return NextResponse.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers });
}

/** 429 when the caller's address is over its limit, else null. Shared by every /api/v1 route. */
export function addressLimited(request: Request): NextResponse | null {
  const wait = perAddress.take(clientAddress(request.headers));
  return wait ? apiError(429, "RATE_LIMITED", "Too many requests; slow down.", undefined, { "retry-after": String(wait) }) : null;
}

/** 429 when the token is over its limit, else null. */
export function tokenLimited(tokenId: string): NextResponse | null {
  const wait = perToken.take(tokenId);
  return wait ? apiError(429, "RATE_LIMITED", "This token is over its rate limit.", undefined, { "retry-after": String(wait) }) : null;
}

export const DOMAIN_ERROR_STATUS = statusFor;

/**
 * The one way to write an /api/v1 route: rate limit, refuse oversized bodies before reading
 * them, authenticate a scoped token, validate the query with zod (the same schema the OpenAPI
 * document is generated from), and map domain errors to JSON with the right status.
 */
export function apiRoute<Q extends z.ZodType, R>(config: { scope: TokenScope; query: Q; run: (deps: Deps, token: TokenPrincipal, query: z.output<Q>) => Promise<R> }) {
  return async (request: NextRequest): Promise<NextResponse> => {
    const limited = addressLimited(request);
    if (limited) return limited;
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return apiError(413, "TOO_LARGE", "The request body is larger than 1 MB.");
    const deps = systemDeps(db());
    try {
      const token = await authenticateApiToken(deps, request.headers.get("authorization"), config.scope);
      const overLimit = tokenLimited(token.id);
      if (overLimit) return overLimit;
      const parsed = config.query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
      if (!parsed.success) {
        const fields: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) (fields[issue.path.join(".") || "query"] ??= []).push(issue.message);
        return apiError(400, "INVALID", "The query parameters are not valid.", fields);
      }
      return NextResponse.json(await config.run(deps, token, parsed.data));
    } catch (error) {
      if (isDomainError(error)) return apiError(statusFor[error.code], error.code, error.message, error.fieldErrors);
      console.error("[api]", error);
      return apiError(500, "INTERNAL", "Something went wrong; nothing was changed.");
    }
  };
}
