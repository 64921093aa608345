import { createDocument } from "zod-openapi";
import { apiErrorSchema, grantsPageSchema, importBatchParams, importProgressSchema, importTemplateParams, importUploadForm, listGrantsQuery } from "./contracts";

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
      "/api/v1/import/templates/{kind}": {
        get: {
          summary: "CSV template for an import kind (signed-in session)",
          security: [{ session: [] }],
          requestParams: { path: importTemplateParams },
          responses: { "200": { description: "Header row and one example row", content: { "text/csv": { schema: { type: "string" } } } }, "401": errors["401"], "404": { description: "Unknown kind" } },
        },
      },
      "/api/v1/import/batches": {
        post: {
          summary: "Upload a file to import; it is checked at once and previewed (admin session, same origin)",
          security: [{ session: [] }],
          requestBody: { content: { "multipart/form-data": { schema: importUploadForm } } },
          responses: { "200": { description: "The stored batch and its check" }, "400": errors["400"], "401": errors["401"], "404": { description: "Not an admin" }, "413": { description: "Over 50 MB" } },
        },
      },
      "/api/v1/import/batches/{id}": {
        get: {
          summary: "An import's status and progress (admin session)",
          security: [{ session: [] }],
          requestParams: { path: importBatchParams },
          responses: { "200": { description: "Progress", content: { "application/json": { schema: importProgressSchema } } }, "401": errors["401"], "404": { description: "No such batch, or not an admin" } },
        },
      },
    },
  });
}
