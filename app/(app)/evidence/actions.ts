"use server";

import { defineAction } from "@/lib/actions/define-action";
import { exportRequestSchema, previewExport, startExport } from "@/lib/domain/evidence-export/start-export";

/** Rows each file would hold, before exporting (auditors and admins). */
export const previewEvidenceExport = defineAction({
  name: "previewEvidenceExport",
  schema: exportRequestSchema,
  run: (deps, actor, input) => previewExport(deps, actor, input),
});

/**
 * Records the export (an audit event) and publishes a signed checkpoint; the browser then
 * downloads it from the URL returned and polls its progress.
 */
export const startEvidenceExport = defineAction({
  name: "startEvidenceExport",
  schema: exportRequestSchema,
  run: (deps, actor, input) => startExport(deps, actor, input),
});
