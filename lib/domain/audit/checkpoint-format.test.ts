import { createHash, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkpointSchema, checkpointText, keyIdOf, parsePublicKey, publicKeyDer, signBytes, signCheckpoint, verifyBytes, verifyCheckpoint, type CheckpointBody } from "./checkpoint-format";

const accord = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");
const body: CheckpointBody = {
  origin: "https://accord.example.test",
  headId: 1234,
  headHash: "9f".repeat(32),
  headAt: "2026-03-01T12:00:00.000Z",
  issuedAt: "2026-03-01T12:00:05.000Z",
};

describe("checkpoint text", () => {
  it("is the documented one-field-a-line form that the signature covers", () => {
    expect(checkpointText(body)).toBe(
      `accord-audit-checkpoint/v1\norigin https://accord.example.test\nhead-id 1234\nhead-hash ${"9f".repeat(32)}\nhead-at 2026-03-01T12:00:00.000Z\nissued-at 2026-03-01T12:00:05.000Z\n`,
    );
  });
});

describe("keys", () => {
  it("are named by the SHA-256 of their SPKI DER, the same from the private key, PEM or base64", () => {
    const der = accord.publicKey.export({ type: "spki", format: "der" });
    const keyId = createHash("sha256").update(der).digest("hex");
    expect(keyIdOf(accord.publicKey)).toBe(keyId);
    expect(publicKeyDer(accord.privateKey)).toEqual(der);
    expect(keyIdOf(parsePublicKey(der.toString("base64")))).toBe(keyId);
    expect(keyIdOf(parsePublicKey(`\n${accord.publicKey.export({ type: "spki", format: "pem" }).toString()}\n`))).toBe(keyId);
    expect(keyIdOf(other.publicKey)).not.toBe(keyId);
  });
});

// Signed inside each test, not at collection, so a broken signer fails a test instead of the file.
const signedByAccord = () => signCheckpoint(body, accord.privateKey);

describe("signed checkpoints", () => {
  it("carry the signer's key and an Ed25519 signature over the text form that anyone can check", () => {
    const signed = signedByAccord();
    expect(checkpointSchema.parse(signed)).toEqual({
      format: "accord-audit-checkpoint/v1",
      ...body,
      keyId: keyIdOf(accord.publicKey),
      publicKey: publicKeyDer(accord.publicKey).toString("base64"),
      signature: signed.signature,
    });
    expect(verify(null, Buffer.from(checkpointText(body)), accord.publicKey, Buffer.from(signed.signature, "base64"))).toBe(true);
  });

  it("verify with the trusted key, or with the key they carry when the auditor has none", () => {
    const signed = signedByAccord();
    expect(verifyCheckpoint(signed, accord.publicKey)).toEqual({ ok: true, keyId: keyIdOf(accord.publicKey) });
    expect(verifyCheckpoint(signed)).toEqual({ ok: true, keyId: keyIdOf(accord.publicKey) });
  });

  it("fail when any field was changed after signing", () => {
    const signed = signedByAccord();
    for (const change of [{ origin: "https://evil.example.test" }, { headId: 1235 }, { headHash: "00".repeat(32) }, { headAt: "2026-03-01T12:00:01.000Z" }, { issuedAt: "2026-03-02T12:00:05.000Z" }]) {
      expect(verifyCheckpoint({ ...signed, ...change }, accord.publicKey)).toEqual({ ok: false, reason: "the signature does not match the checkpoint" });
    }
  });

  it("fail against the trusted key when someone else signed, whatever key id they claim", () => {
    const forged = signCheckpoint(body, other.privateKey);
    expect(verifyCheckpoint(forged, accord.publicKey)).toEqual({ ok: false, reason: expect.stringMatching(/^signed by key [0-9a-f]{16}…, not by the trusted key [0-9a-f]{16}…$/) });
    expect(verifyCheckpoint({ ...forged, keyId: keyIdOf(accord.publicKey) }, accord.publicKey)).toMatchObject({ ok: false, reason: "the signature does not match the checkpoint" });
    // Without a trusted key a forgery is self-consistent: that only proves integrity, which is why the verifier warns.
    expect(verifyCheckpoint(forged).ok).toBe(true);
  });
});

describe("checkpointSchema", () => {
  it.each([
    ["another format", { format: "accord-audit-checkpoint/v2" }],
    ["an empty origin", { origin: "" }],
    ["a negative head id", { headId: -1 }],
    ["a fractional head id", { headId: 1.5 }],
    ["an upper-case head hash", { headHash: "9F".repeat(32) }],
    ["a short head hash", { headHash: "9f".repeat(31) }],
    ["a head hash with more after it", { headHash: `${"9f".repeat(32)}00` }],
    ["a time that is not ISO 8601", { headAt: "1 March 2026" }],
    ["a key id that is not a SHA-256", { keyId: "abc" }],
    ["a key id with more before it", { keyId: `00${"ab".repeat(32)}` }],
    ["a key id with more after it", { keyId: `${"ab".repeat(32)}00` }],
    ["a missing public key", { publicKey: "" }],
    ["a missing signature", { signature: "" }],
  ])("refuses %s", (_, change) => {
    expect(checkpointSchema.safeParse({ ...signedByAccord(), ...change }).success).toBe(false);
  });
  it("names the head hash's rule in its error", () => {
    const result = checkpointSchema.safeParse({ ...signedByAccord(), headHash: "xyz" });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ["headHash"], message: "must be 64 lower-case hex digits" })]);
  });
});

describe("signed bytes (the evidence manifest)", () => {
  const manifest = Buffer.from('{"format":"accord-evidence-bundle/v1"}');
  it("verify with the signer's public key only, and only for the same bytes", () => {
    const signature = signBytes(manifest, accord.privateKey);
    expect(verify(null, manifest, accord.publicKey, Buffer.from(signature, "base64"))).toBe(true);
    expect(verifyBytes(manifest, signature, accord.publicKey)).toBe(true);
    expect(verifyBytes(Buffer.from('{"format":"accord-evidence-bundle/v2"}'), signature, accord.publicKey)).toBe(false);
    expect(verifyBytes(manifest, signature, other.publicKey)).toBe(false);
  });
  it("answer false, not throw, for a signature that is not one or a bundle carrying a key that cannot sign", () => {
    expect(verifyBytes(manifest, "not base64 at all!", accord.publicKey)).toBe(false);
    expect(verifyBytes(manifest, "", accord.publicKey)).toBe(false);
    expect(verifyBytes(manifest, signBytes(manifest, accord.privateKey), generateKeyPairSync("x25519").publicKey)).toBe(false);
  });
});
