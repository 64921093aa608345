import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret, env } from "@/lib/env";

/**
 * AES-256-GCM for secrets Accord must use later (webhook signing keys, connector credentials).
 * Stored as "v1.<iv>.<tag>.<ciphertext>" in base64url; the key comes from ACCORD_ENCRYPTION_KEY
 * or, failing that, is derived from AUTH_SECRET with HKDF so it is never the secret itself.
 */
function key(): Buffer {
  const material = env().ACCORD_ENCRYPTION_KEY ?? authSecret();
  return Buffer.from(hkdfSync("sha256", material, "accord", "secret-box v1", 32));
}

export function sealSecret(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function openSecret(sealed: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("sealed secret has an unknown format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
