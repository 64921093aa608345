import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { db } from "@/db/client";
import { currentActor } from "@/lib/auth/current-actor";
import { mayExportEvidence } from "@/lib/domain/access/rules";
import { systemDeps } from "@/lib/domain/deps";
import { verifyBundle } from "@/lib/domain/evidence-export/verify-bundle";
import { checkpointPublicKey } from "@/lib/domain/evidence-export/views";
import { isSameOrigin, json, notFound, unauthenticated } from "../../v1/import/respond";

export const dynamic = "force-dynamic";

const MAX_BYTES = 8 * 2 ** 30;
const invalid = (message: string) => json({ code: "INVALID", message }, 400);

/**
 * "Verify a bundle" on the evidence page: the zip is streamed to a temporary file (never held in
 * memory) and checked exactly as the offline command checks it, against this Accord's public key.
 * The offline command remains the auditor's own check; this is a convenience.
 */
export async function POST(request: Request) {
  const actor = await currentActor();
  if (!actor) return unauthenticated();
  if (!mayExportEvidence(actor)) return notFound();
  if (!isSameOrigin(request)) return json({ code: "FORBIDDEN", message: "Cross-site request refused." }, 403);
  if (request.headers.get("content-type") !== "application/zip" || !request.body) return invalid("Upload an evidence bundle (a .zip file) as the request body.");
  const dir = await mkdtemp(path.join(os.tmpdir(), "accord-verify-"));
  const file = path.join(dir, "bundle.zip");
  try {
    let bytes = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > MAX_BYTES ? new Error("too large") : null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(request.body as import("node:stream/web").ReadableStream), cap, createWriteStream(file));
    } catch {
      return json({ code: "TOO_LARGE", message: "The bundle is larger than 8 GiB." }, 413);
    }
    if (bytes === 0) return invalid("The upload was empty.");
    const { pem } = await checkpointPublicKey(systemDeps(db()));
    return json(await verifyBundle(file, { publicKey: pem }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
