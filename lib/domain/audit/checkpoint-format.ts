import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { z } from "zod";

/**
 * A signed checkpoint of the audit trail: "the trail's head was event <id> with hash <hash>, at
 * <time>". Pure (node:crypto only, no database) so the offline verifier uses the same code.
 *
 * The signature is Ed25519 over the checkpoint's text form, one field a line:
 *
 *   accord-audit-checkpoint/v1
 *   origin https://accord.example.com
 *   head-id 1234
 *   head-hash 9f2c…(64 hex)
 *   head-at 2026-03-01T12:00:00.000Z
 *   issued-at 2026-03-01T12:00:05.000Z
 *
 * Because every audit row carries the hash of the one before, the head hash commits to the whole
 * trail up to the head: whoever keeps a checkpoint can later check that the trail still passes
 * through that id with that hash, so nothing at or before it was rewritten.
 */
export const CHECKPOINT_FORMAT = "accord-audit-checkpoint/v1";

export const checkpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  origin: z.string().min(1),
  headId: z.number().int().min(0),
  headHash: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
  headAt: z.iso.datetime(),
  issuedAt: z.iso.datetime(),
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  /** The signer's public key, SPKI DER in base64: what keyId is the SHA-256 of. */
  publicKey: z.string().min(40),
  signature: z.string().min(40),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;
export type CheckpointBody = Pick<Checkpoint, "origin" | "headId" | "headHash" | "headAt" | "issuedAt">;

export function checkpointText(body: CheckpointBody): string {
  return [CHECKPOINT_FORMAT, `origin ${body.origin}`, `head-id ${body.headId}`, `head-hash ${body.headHash}`, `head-at ${body.headAt}`, `issued-at ${body.issuedAt}`, ""].join("\n");
}

export function publicKeyDer(key: KeyObject): Buffer {
  return (key.type === "public" ? key : createPublicKey(key)).export({ type: "spki", format: "der" });
}

/** The key's fingerprint: SHA-256 of its SPKI DER, hex. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKeyDer(publicKey)).digest("hex");
}

export function publicKeyFromBase64(der: string): KeyObject {
  return createPublicKey({ key: Buffer.from(der, "base64"), format: "der", type: "spki" });
}

/** A public key as PEM or base64 SPKI DER (what /api/evidence/public-key serves). */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  return trimmed.startsWith("-----BEGIN") ? createPublicKey(trimmed) : publicKeyFromBase64(trimmed);
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): Checkpoint {
  const publicKey = createPublicKey(privateKey);
  return {
    format: CHECKPOINT_FORMAT,
    ...body,
    keyId: keyIdOf(publicKey),
    publicKey: publicKeyDer(publicKey).toString("base64"),
    signature: sign(null, Buffer.from(checkpointText(body)), privateKey).toString("base64"),
  };
}

export function signBytes(data: Buffer, privateKey: KeyObject): string {
  return sign(null, data, privateKey).toString("base64");
}

export function verifyBytes(data: Buffer, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, data, publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

export type CheckpointCheck = { ok: true; keyId: string } | { ok: false; reason: string };

/**
 * Checks a checkpoint's signature with `trusted` (the key the auditor holds) or, without one,
 * with the key the checkpoint names, which proves integrity but not who signed.
 */
export function verifyCheckpoint(checkpoint: Checkpoint, trusted?: KeyObject): CheckpointCheck {
  const key = trusted ?? publicKeyFromBase64(checkpoint.publicKey);
  const keyId = keyIdOf(key);
  if (keyId !== checkpoint.keyId) return { ok: false, reason: `signed by key ${checkpoint.keyId.slice(0, 16)}…, not by the trusted key ${keyId.slice(0, 16)}…` };
  const body = { origin: checkpoint.origin, headId: checkpoint.headId, headHash: checkpoint.headHash, headAt: checkpoint.headAt, issuedAt: checkpoint.issuedAt };
  if (!verifyBytes(Buffer.from(checkpointText(body)), checkpoint.signature, key)) return { ok: false, reason: "the signature does not match the checkpoint" };
  return { ok: true, keyId };
}
