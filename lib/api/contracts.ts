import { z } from "zod";
import "zod-openapi";

/**
 * Request and response schemas of the HTTP API. Routes validate with them and the OpenAPI
 * document is generated from them, so the two cannot disagree.
 */
export const grantKindSchema = z.enum(["standing", "time_bound", "eligible"]);
export const grantStatusSchema = z.enum(["active", "pending_revocation", "revoked", "expired"]);

export const listGrantsQuery = z
  .object({
    applicationId: z.uuid().optional(),
    identityId: z.uuid().optional(),
    kind: grantKindSchema.optional(),
    status: grantStatusSchema.optional(),
    privileged: z.enum(["true", "false"]).optional().transform((v) => (v === undefined ? undefined : v === "true")),
    cursor: z.string().max(500).optional().meta({ description: "The nextCursor of the previous page." }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
  .meta({ id: "ListGrantsQuery" });

export const grantSchema = z
  .object({
    id: z.uuid(),
    kind: grantKindSchema,
    status: grantStatusSchema,
    source: z.enum(["request", "import", "scim", "direct", "detected"]),
    grantedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    liveState: z.enum(["unknown", "present", "absent"]).meta({ description: "What the target system last said about this grant." }),
    identity: z.object({ id: z.uuid(), displayName: z.string(), type: z.string(), status: z.enum(["active", "suspended", "leaver"]) }),
    entitlement: z.object({ id: z.uuid(), name: z.string(), privileged: z.boolean(), breakGlass: z.boolean() }),
    application: z.object({ id: z.uuid(), name: z.string() }),
  })
  .meta({ id: "Grant" });

export const grantsPageSchema = z.object({ grants: z.array(grantSchema), nextCursor: z.string().nullable() }).meta({ id: "GrantsPage" });

export const apiErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.array(z.string())).optional() }) })
  .meta({ id: "Error" });

// Import endpoints the admin pages call with the signed-in session (cookie), documented here too.
export const importTemplateParams = z.object({ kind: z.enum(["identities", "applications", "accounts", "entitlements", "grants"]) }).meta({ id: "ImportTemplateParams" });
export const importBatchParams = z.object({ id: z.uuid() }).meta({ id: "ImportBatchParams" });
export const importUploadForm = z
  .object({
    file: z.string().meta({ format: "binary", description: "The CSV or JSON file, up to 50 MB." }),
    kind: z.enum(["identities", "applications", "accounts", "entitlements", "grants"]),
    format: z.enum(["csv", "json"]).optional(),
    snapshotApplicationId: z.uuid().optional().meta({ description: "Grants only: mark this application's grants missing from the file as no longer live." }),
  })
  .meta({ id: "ImportUpload" });
export const importProgressSchema = z
  .object({ status: z.enum(["uploaded", "invalid", "previewed", "applying", "applied", "failed"]), processedRows: z.number().int(), totalRows: z.number().int().nullable() })
  .passthrough()
  .meta({ id: "ImportProgress" });
