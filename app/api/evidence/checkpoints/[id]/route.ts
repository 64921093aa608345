import { z } from "zod";
import { db } from "@/db/client";
import { currentActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { checkpointForDownload } from "@/lib/domain/evidence-export/views";
import { fromError, notFound, unauthenticated } from "../../../v1/import/respond";

export const dynamic = "force-dynamic";

const ref = z.union([z.literal("latest"), z.coerce.number().int().positive()]);

/** A signed audit checkpoint to keep ("latest" or its number), for auditors and admins. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return unauthenticated();
  const parsed = ref.safeParse((await params).id);
  if (!parsed.success) return notFound();
  try {
    const checkpoint = await checkpointForDownload(systemDeps(db()), actor, parsed.data);
    return new Response(`${JSON.stringify(checkpoint, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json",
        "Content-Disposition": `attachment; filename="accord-checkpoint-${checkpoint.headId}.json"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return fromError(error, "checkpoint download");
  }
}
