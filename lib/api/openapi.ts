import { createDocument } from "zod-openapi";
import {
  apiErrorSchema,
  grantsPageSchema,
  importBatchParams,
  importProgressSchema,
  importTemplateParams,
  importUploadForm,
  ingestEventsQuery,
  ingestResultSchema,
  listGrantsQuery,
  revocationCallbackBody,
  revocationCallbackParams,
} from "./contracts";

const errors = {
  "400": { description: "Invalid parameters", content: { "application/json": { schema: apiErrorSchema } } },
  "401": { description: "Missing, unknown, expired or revoked token", content: { "application/json": { schema: apiErrorSchema } } },
  "403": { description: "The token lacks the scope", content: { "application/json": { schema: apiErrorSchema } } },
  "429": { description: "Rate limited; see Retry-After", content: { "application/json": { schema: apiErrorSchema } } },
};

/** The OpenAPI document of /api/v1, built from the zod schemas the routes validate with. */
export function openApiDocument() {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Accord API",
      version: "1",
      description:
        "Machine access to Accord. Authenticate with 'Authorization: Bearer <token>' using a token an admin created under Administration → API tokens, with the scope each operation names. SCIM 2.0 provisioning lives at /api/scim/v2 (RFC 7644) with a token scoped 'scim'.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" }, session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" } } },
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/grants": {
        get: {
          summary: "List grants, newest first (scope evidence:read)",
          requestParams: { query: listGrantsQuery },
          responses: { "200": { description: "A page of grants", content: { "application/json": { schema: grantsPageSchema } } }, ...errors },
        },
      },
      "/api/v1/events": {
        post: {
          summary: "Ingest evidence: NDJSON in the source's own format (scope events:write)",
          description:
            "One event a line: Teleport audit events, CloudTrail records, Okta System Log events, Entra ID diagnostic records, or Accord's generic format (README, 'Evidence ingest'). The body is read as it streams in, up to 256 MB per request (gzip allowed with Content-Encoding: gzip), and written in batches that commit as they go. Events are filed under the token's source (else the format's name): the same event id twice counts once, and a session's events may arrive in any order. A bad line is listed by number and reason and never stops the rest.",
          requestParams: { query: ingestEventsQuery },
          requestBody: { required: true, content: { "application/x-ndjson": { schema: { type: "string", description: "Newline-delimited JSON objects." } } } },
          responses: {
            "200": { description: "Counts, and the rejected lines", content: { "application/json": { schema: ingestResultSchema } } },
            ...errors,
            "413": { description: "Over 256 MB: refused before reading when Content-Length says so, else stopped at the limit with the counts of what was stored" },
            "415": { description: "A Content-Encoding other than gzip" },
            "500": { description: "Interrupted: the counts say what was stored (committedThroughLine); resending is safe" },
          },
        },
      },
      "/api/v1/revocations/{id}/callback": {
        post: {
          summary: "A webhook connector's receiver confirms a revocation (per-revocation token or signature)",
          description:
            "Authenticate with 'Authorization: Bearer <data.callback.token>' from the revocation event, or sign the request like Accord signs its webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256(secret, \"<id>.<timestamp>.<body>\")>) with the connector's shared secret. Repeating a confirmation is harmless.",
          security: [],
          requestParams: { path: revocationCallbackParams },
          requestBody: { required: true, content: { "application/json": { schema: revocationCallbackBody } } },
          responses: {
            "200": { description: "Recorded; the body gives the revocation's state" },
            "400": errors["400"],
            "401": { description: "Missing or invalid token or signature, or no such webhook revocation", content: { "application/json": { schema: apiErrorSchema } } },
            "409": { description: "The revocation already ended the other way", content: { "application/json": { schema: apiErrorSchema } } },
            "413": { description: "Over 64 KB" },
            "429": errors["429"],
          },
        },
      },
      "/api/v1/import/templates/{kind}": {
        get: {
          summary: "CSV template for an import kind (signed-in session)",
          security: [{ session: [] }],
          requestParams: { path: importTemplateParams },
          responses: {
            "200": { description: "Header row and one example row", content: { "text/csv": { schema: { type: "string" } } } },
            "401": errors["401"],
            "404": { description: "Unknown kind" },
          },
        },
      },
      "/api/v1/import/batches": {
        post: {
          summary: "Upload a file to import; it is checked at once and previewed (admin session, same origin)",
          security: [{ session: [] }],
          requestBody: { content: { "multipart/form-data": { schema: importUploadForm } } },
          responses: {
            "200": { description: "The stored batch and its check" },
            "400": errors["400"],
            "401": errors["401"],
            "404": { description: "Not an admin" },
            "413": { description: "Over 50 MB" },
          },
        },
      },
      "/api/v1/import/batches/{id}": {
        get: {
          summary: "An import's status and progress (admin session)",
          security: [{ session: [] }],
          requestParams: { path: importBatchParams },
          responses: {
            "200": { description: "Progress", content: { "application/json": { schema: importProgressSchema } } },
            "401": errors["401"],
            "404": { description: "No such batch, or not an admin" },
          },
        },
      },
    },
  });
}
