import { db } from "@/db/client";
import { currentActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { importProgress } from "@/lib/domain/import/service";
import { fromError, json, unauthenticated } from "../../respond";

export const dynamic = "force-dynamic";

/** An import's status and progress, polled by the import page while it applies. Admins only. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return unauthenticated();
  try {
    const { id } = await params;
    const progress = await importProgress(systemDeps(db()), actor, id);
    return json(progress);
  } catch (error) {
    return fromError(error, "import progress");
  }
}
