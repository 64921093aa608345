import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, webhookHeaders } from "./webhook-signature";

const secret = "whsec_test";
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
});
