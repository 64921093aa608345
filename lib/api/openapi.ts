import { createDocument } from "zod-openapi";
import { apiErrorSchema, grantsPageSchema, listGrantsQuery } from "./contracts";

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
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/grants": {
        get: {
          summary: "List grants, newest first (scope evidence:read)",
          requestParams: { query: listGrantsQuery },
          responses: { "200": { description: "A page of grants", content: { "application/json": { schema: grantsPageSchema } } }, ...errors },
        },
      },
    },
  });
}
