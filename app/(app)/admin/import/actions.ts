"use server";

import { after } from "next/server";
import { defineAction } from "@/lib/actions/define-action";
import { applyInput, startImportApply } from "@/lib/domain/import/service";

/**
 * Applies a checked import. The batch is claimed before answering (so a second click is
 * refused), and the import itself runs after the response: the page polls its progress.
 * A failure is recorded on the batch, and nothing is half-written; a batch left "applying" by a
 * server that stopped is marked failed by the stuck-work sweep (lib/domain/import/sweep.ts).
 */
export const applyImport = defineAction({
  name: "applyImport",
  schema: applyInput,
  run: async (deps, actor, input) => {
    const { batchId, run } = await startImportApply(deps, actor, input);
    after(async () => {
      try {
        await run();
      } catch (error) {
        console.error(`[applyImport] batch ${batchId} failed; nothing was imported`, error);
      }
    });
    return { batchId };
  },
  revalidate: () => ["/admin/import"],
});
