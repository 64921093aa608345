import { Readable } from "node:stream";
import { z } from "zod";
import { db } from "@/db/client";
import { currentActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { openExport } from "@/lib/domain/evidence-export/open-export";
import { fromError, notFound, unauthenticated } from "../../../../v1/import/respond";

export const dynamic = "force-dynamic";

/**
 * Streams an export its requester started on the evidence page, once: a zip bundle, or one
 * table as CSV or JSON. The body is produced as it is read (flat memory on both ends); the
 * evidence page polls the export's status for the progress bar.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return unauthenticated();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) return notFound();
  try {
    const download = await openExport(systemDeps(db()), actor, { exportId: id.data });
    return new Response(Readable.toWeb(download.body) as ReadableStream<Uint8Array>, {
      headers: {
        "Content-Type": download.contentType,
        // The name is built from ids and dates only (ASCII), so no RFC 6266 encoding is needed.
        "Content-Disposition": `attachment; filename="${download.filename}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    return fromError(error, "evidence download");
  }
}
