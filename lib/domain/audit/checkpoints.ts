import { auditHead, insertCheckpoint, latestCheckpoint } from "@/db/queries/audit";
import type { Executor } from "@/db/client";
import type { AuditCheckpoint } from "@/db/schema";
import { env } from "@/lib/env";
import type { Deps } from "@/lib/domain/deps";
import { signCheckpoint, type Checkpoint } from "./checkpoint-format";
import { GENESIS_HASH } from "./hash";
import { checkpointSigningKey } from "./signing-key";

export type CheckpointReason = AuditCheckpoint["reason"];

/** The published row as the signed JSON document an auditor keeps. */
export function checkpointDocument(row: AuditCheckpoint): Checkpoint {
  return {
    format: "accord-audit-checkpoint/v1",
    origin: row.origin,
    headId: row.headId,
    headHash: row.headHash,
    headAt: row.headAt.toISOString(),
    issuedAt: row.issuedAt.toISOString(),
    keyId: row.keyId,
    publicKey: row.publicKey,
    signature: row.signature,
  };
}

/**
 * Signs and publishes the audit trail's current head. The scheduled run publishes only when the
 * head moved since the last checkpoint; an export always publishes one (the bundle carries it).
 * A checkpoint is not itself an audit event: it is a statement about the trail, kept beside it.
 */
export async function publishCheckpoint(deps: Deps, reason: CheckpointReason, db: Executor = deps.db): Promise<{ row: AuditCheckpoint; published: boolean }> {
  const head = await auditHead(db);
  if (reason === "schedule") {
    const last = await latestCheckpoint(db);
    if (last && last.headId === (head?.id ?? 0)) return { row: last, published: false };
  }
  const key = await checkpointSigningKey(db);
  const issuedAt = new Date(deps.now().getTime());
  const body = {
    origin: env().AUTH_URL,
    headId: head?.id ?? 0,
    headHash: head?.hash ?? GENESIS_HASH,
    headAt: (head?.occurredAt ?? issuedAt).toISOString(),
    issuedAt: issuedAt.toISOString(),
  };
  const signed = signCheckpoint(body, key.privateKey);
  const row = await insertCheckpoint(db, {
    headId: body.headId,
    headHash: body.headHash,
    headAt: new Date(body.headAt),
    issuedAt,
    origin: body.origin,
    reason,
    keyId: signed.keyId,
    publicKey: signed.publicKey,
    signature: signed.signature,
  });
  return { row, published: true };
}
