/** The events other systems can subscribe to. Producers call publishEvent with one of these. */
export const WEBHOOK_EVENT_TYPES = [
  "campaign.launched",
  "campaign.closed",
  "review.decided",
  "revocation.verified",
  "revocation.failed",
  "finding.opened",
  "identity.status_changed",
  "break_glass.activated",
  "webhook.test",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
