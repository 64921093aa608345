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
    privileged: z
      .enum(["true", "false"])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "true")),
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

export const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.array(z.string())).optional() }) }).meta({ id: "Error" });

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

// Evidence ingest: POST /api/v1/events with NDJSON in the source's own format.
export const ingestEventsQuery = z
  .object({
    format: z.enum(["teleport", "cloudtrail", "okta", "entra", "generic"]).meta({ description: "The format of every line: the source's own audit-event JSON, or Accord's generic format." }),
    application: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "The application the events belong to (its id, or its exact name): accounts are matched in it. Required except for generic lines that name their own." }),
  })
  .strict()
  .meta({ id: "IngestEventsQuery" });

export const ingestResultSchema = z
  .object({
    source: z.string().meta({ description: "Where the events are filed: the token's source, or the format's name. Event and session ids are unique within it." }),
    lines: z.number().int(),
    accepted: z.number().int().meta({ description: "New events matched to an identity through their account." }),
    duplicate: z.number().int().meta({ description: "Events stored before (same source and event id); counted once, changed nothing." }),
    unmatched: z.number().int().meta({ description: "New events whose user matches no account (or an orphan account): stored without an identity, an orphan-account signal." }),
    rejected: z.number().int(),
    ignored: z.number().int().meta({ description: "Lines the format says are not evidence, such as a recording's terminal output." }),
    withoutApproval: z.number().int().meta({ description: "Of the accepted: used outside any approved grant or activation window." }),
    rejectedLines: z.array(z.object({ line: z.number().int(), reason: z.string() })).meta({ description: "The first 1,000 rejected lines, with the field at fault." }),
    committedThroughLine: z.number().int().meta({ description: "Every line up to this one is stored; after an interruption, resend from the next (or resend all: repeats are duplicates)." }),
  })
  .meta({ id: "IngestResult" });

/** A webhook connector's receiver confirming (or reporting the failure of) a revocation. */
export const revocationCallbackBody = z
  .object({
    status: z.enum(["removed", "failed"]).meta({ description: "removed: the access was taken away; failed: it could not be (detail says why)" }),
    detail: z.string().max(2_000).optional(),
  })
  .meta({ id: "RevocationCallback" });
export const revocationCallbackParams = z.object({ id: z.uuid() }).meta({ id: "RevocationCallbackParams" });
