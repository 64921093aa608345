import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signingKey, signWebhook, verifyWebhook, webhookHeaders } from "./webhook-signature";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const at = new Date("2026-11-23T12:00:00Z");
const body = JSON.stringify({ type: "finding.opened" });

describe("webhook signatures", () => {
  it("verify when nothing changed", () => {
    const h = webhookHeaders(secret, "evt_1", at, body);
    expect(verifyWebhook(secret, { id: h["webhook-id"], timestamp: h["webhook-timestamp"], signature: h["webhook-signature"] }, body, at)).toBe(true);
  });
  it("fail on a changed body, id, secret or a stale timestamp", () => {
    const h = webhookHeaders(secret, "evt_1", at, body);
    const headers = { id: h["webhook-id"], timestamp: h["webhook-timestamp"], signature: h["webhook-signature"] };
    expect(verifyWebhook(secret, headers, body + " ", at)).toBe(false);
    expect(verifyWebhook(secret, { ...headers, id: "evt_2" }, body, at)).toBe(false);
    expect(verifyWebhook("whsec_other", headers, body, at)).toBe(false);
    expect(verifyWebhook(secret, headers, body, new Date(at.getTime() + 6 * 60_000))).toBe(false);
  });
  it("accept any of several signatures, so a secret can rotate", () => {
    const ts = Math.floor(at.getTime() / 1000);
    const both = `${signWebhook("whsec_old", "evt_1", ts, body)} ${signWebhook(secret, "evt_1", ts, body)}`;
    expect(verifyWebhook(secret, { id: "evt_1", timestamp: String(ts), signature: both }, body, at)).toBe(true);
  });
  it("sign as the Standard Webhooks specification's own example does (the key is the secret's base64 after whsec_)", () => {
    // The example in github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md.
    const signature = signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}');
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
  it("use a secret that is not a Standard Webhooks one as its own bytes", () => {
    expect(signingKey("receiver's own secret")).toEqual(Buffer.from("receiver's own secret"));
    expect(signingKey("whsec_AAEC")).toEqual(Buffer.from([0, 1, 2]));
  });
  it("send what the README tells receivers to check: v1,base64(HMAC-SHA256(key, id.timestamp.body)) on a JSON POST", () => {
    const h = webhookHeaders(secret, "evt_1", at, body);
    const ts = at.getTime() / 1000;
    expect(h).toEqual({
      "content-type": "application/json",
      "webhook-id": "evt_1",
      "webhook-timestamp": String(ts),
      "webhook-signature": `v1,${createHmac("sha256", Buffer.from(secret.slice(6), "base64"))
        .update(`evt_1.${ts}.${body}`)
        .digest("base64")}`,
    });
  });
  it("refuse a delivery missing any of the three headers", () => {
    const h = webhookHeaders(secret, "evt_1", at, body);
    const headers = { id: h["webhook-id"], timestamp: h["webhook-timestamp"], signature: h["webhook-signature"] };
    for (const missing of ["id", "timestamp", "signature"] as const) expect(verifyWebhook(secret, { ...headers, [missing]: null }, body, at)).toBe(false);
    // The id is the receiver's idempotency key: an event without one is refused even when correctly signed.
    const ts = at.getTime() / 1000;
    expect(verifyWebhook(secret, { id: "", timestamp: String(ts), signature: signWebhook(secret, "", ts, body) }, body, at)).toBe(false);
  });
  it("allow five minutes of clock skew either way, and not a second more", () => {
    const h = webhookHeaders(secret, "evt_1", at, body);
    const headers = { id: h["webhook-id"], timestamp: h["webhook-timestamp"], signature: h["webhook-signature"] };
    const off = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    expect(verifyWebhook(secret, headers, body, off(300))).toBe(true);
    expect(verifyWebhook(secret, headers, body, off(-300))).toBe(true);
    expect(verifyWebhook(secret, headers, body, off(301))).toBe(false);
    expect(verifyWebhook(secret, headers, body, off(-301))).toBe(false);
  });
  it("answer false, not throw, for a signature of the wrong length or a timestamp that is not a number", () => {
    const ts = String(at.getTime() / 1000);
    expect(verifyWebhook(secret, { id: "evt_1", timestamp: ts, signature: "v1,short" }, body, at)).toBe(false);
    expect(verifyWebhook(secret, { id: "evt_1", timestamp: "soon", signature: signWebhook(secret, "evt_1", Number(ts), body) }, body, at)).toBe(false);
  });
});
