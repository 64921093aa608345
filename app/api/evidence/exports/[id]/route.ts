import { z } from "zod";
import { db } from "@/db/client";
import { currentActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { exportStatus } from "@/lib/domain/evidence-export/views";
import { fromError, json, notFound, unauthenticated } from "../../../v1/import/respond";

export const dynamic = "force-dynamic";

/** An export's progress (rows and bytes written, status, SHA-256 when done), polled by the evidence page. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return unauthenticated();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) return notFound();
  try {
    return json(await exportStatus(systemDeps(db()), actor, id.data));
  } catch (error) {
    return fromError(error, "evidence export status");
  }
}
