"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { createSubscription, createSubscriptionInput, deactivateWebhook, sendTestEvent } from "@/lib/domain/webhooks/subscriptions";

const formInput = z.preprocess((raw) => {
  const value = raw as Record<string, unknown>;
  return { ...value, events: typeof value.events === "string" && value.events ? value.events.split(",") : [] };
}, createSubscriptionInput);

export const subscribe = defineAction({ name: "subscribeWebhook", schema: formInput, run: createSubscription, revalidate: () => ["/admin/webhooks"] });

export const unsubscribe = defineAction({
  name: "deactivateWebhook",
  schema: z.object({ subscriptionId: z.uuid() }),
  run: deactivateWebhook,
  revalidate: () => ["/admin/webhooks"],
});

export const sendTest = defineAction({ name: "sendTestWebhook", schema: z.object({}), run: (deps, actor) => sendTestEvent(deps, actor), revalidate: () => ["/admin/webhooks"] });
