import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { signingKeys } from "@/db/schema";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { ConfigError, env } from "@/lib/env";
import { keyIdOf, publicKeyDer } from "./checkpoint-format";

const PURPOSE = "audit_checkpoint";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  /** "environment": ACCORD_CHECKPOINT_SIGNING_KEY; "generated": this installation's own, sealed in the database. */
  source: "environment" | "generated";
}

function fromText(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith("-----BEGIN") ? createPrivateKey(trimmed) : createPrivateKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "pkcs8" });
  } catch {
    throw new ConfigError(["ACCORD_CHECKPOINT_SIGNING_KEY is not a private key (PKCS#8 PEM, or its DER in base64; make one with: openssl genpkey -algorithm ed25519)"]);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new ConfigError([`ACCORD_CHECKPOINT_SIGNING_KEY must be an Ed25519 key, not ${key.asymmetricKeyType}`]);
  return key;
}

function toSigningKey(privateKey: KeyObject, source: SigningKey["source"]): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), source };
}

let fromEnvironment: { text: string; key: SigningKey } | undefined;

/**
 * The key that signs audit checkpoints and evidence manifests: ACCORD_CHECKPOINT_SIGNING_KEY
 * when set (production: keep it outside the database, so whoever can rewrite the database cannot
 * re-sign), else a key generated once per installation and stored sealed (AES-256-GCM) in
 * signing_keys. Several instances racing to generate it end up with the same one.
 */
export async function checkpointSigningKey(db: Executor): Promise<SigningKey> {
  const configured = env().ACCORD_CHECKPOINT_SIGNING_KEY;
  if (configured) {
    if (fromEnvironment?.text !== configured) fromEnvironment = { text: configured, key: toSigningKey(fromText(configured), "environment") };
    return fromEnvironment.key;
  }
  const stored = await readStored(db);
  if (stored) return stored;
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  await db
    .insert(signingKeys)
    .values({
      purpose: PURPOSE,
      keyId: keyIdOf(publicKey),
      publicKey: publicKeyDer(publicKey).toString("base64"),
      sealedPrivateKey: sealSecret(privateKey.export({ type: "pkcs8", format: "der" }).toString("base64")),
    })
    .onConflictDoNothing();
  return (await readStored(db))!;
}

async function readStored(db: Executor): Promise<SigningKey | null> {
  const [row] = await db.select().from(signingKeys).where(eq(signingKeys.purpose, PURPOSE));
  if (!row) return null;
  const der = Buffer.from(openSecret(row.sealedPrivateKey), "base64");
  return toSigningKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" }), "generated");
}
