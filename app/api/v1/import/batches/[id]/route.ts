import { db } from "@/db/client";
import { currentActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { importProgress } from "@/lib/domain/import/service";
import { importBatchParams } from "@/lib/api/contracts";
import { fromError, json, notFound, unauthenticated } from "../../respond";

export const dynamic = "force-dynamic";

/** An import's status and progress, polled by the import page while it applies. Admins only. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return unauthenticated();
  try {
    const parsed = importBatchParams.safeParse(await params);
    if (!parsed.success) return notFound();
    const { id } = parsed.data;
    const progress = await importProgress(systemDeps(db()), actor, id);
    return json(progress);
  } catch (error) {
    return fromError(error, "import progress");
  }
}
