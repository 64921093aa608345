import { db } from "@/db/client";
import { systemDeps } from "@/lib/domain/deps";
import { checkpointPublicKey } from "@/lib/domain/evidence-export/views";

export const dynamic = "force-dynamic";

/**
 * The Ed25519 public key that signs audit checkpoints and evidence manifests, as PEM. Public:
 * an auditor fetches it once, keeps it, and verifies bundles offline against it.
 */
export async function GET() {
  const { pem, keyId } = await checkpointPublicKey(systemDeps(db()));
  return new Response(pem, {
    headers: { "Content-Type": "application/x-pem-file", "Content-Disposition": 'attachment; filename="accord-checkpoint-key.pem"', "Cache-Control": "no-store", "X-Accord-Key-Id": keyId },
  });
}
