import { db } from "@/db/client";
import { systemDeps } from "@/lib/domain/deps";
import { handleScimRequest, readLimitedBody, SCIM_PREFIX } from "@/lib/domain/scim/handler";
import { env } from "@/lib/env";
import { clientAddress, RateLimiter } from "@/lib/http/rate-limit";

// Identity providers sync in bursts; this only stops floods and token guessing.
const perAddress = new RateLimiter(1_200, 60_000);

/**
 * SCIM 2.0 at /api/scim/v2 (RFC 7644), for identity providers pushing Users and Groups.
 * A thin adapter: the work, authentication included (bearer token only, never a cookie), is
 * in handleScimRequest.
 */
async function handle(request: Request): Promise<Response> {
  const wait = perAddress.take(clientAddress(request.headers));
  if (wait) {
    const error = { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429", detail: "Too many requests; slow down." };
    return new Response(JSON.stringify(error), { status: 429, headers: { "content-type": "application/scim+json", "retry-after": String(wait) } });
  }
  const { body, tooLarge } = await readLimitedBody(request);
  const result = await handleScimRequest(systemDeps(db()), {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body,
    bodyTooLarge: tooLarge,
    // Locations are built from the configured public URL, never from the Host header.
    baseUrl: `${env().AUTH_URL.replace(/\/+$/, "")}${SCIM_PREFIX}`,
  });
  return new Response(result.body, { status: result.status, headers: result.headers });
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
