"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { campaignScopeSchema } from "@/lib/domain/campaigns/campaign-scope";
import { launchProgress, lookUpCampaignPerson, lookUpPersonInput } from "@/lib/domain/campaigns/campaign-views";
import { campaignIdInput, closeCampaign, extendCampaign, extendCampaignInput } from "@/lib/domain/campaigns/close-campaign";
import { createCampaign, createCampaignInput, previewCampaign } from "@/lib/domain/campaigns/create-campaign";
import { launchCampaign } from "@/lib/domain/campaigns/launch-campaign";

const paths = (campaignId: string) => ["/campaigns", `/campaigns/${campaignId}`];

/** How many grants a scope selects now, and the scope in words; checked against who may run it. */
export const previewCampaignScope = defineAction({
  name: "previewCampaignScope",
  schema: z.object({ scope: campaignScopeSchema }),
  run: previewCampaign,
});

export const lookUpReviewer = defineAction({ name: "lookUpReviewer", schema: lookUpPersonInput, run: lookUpCampaignPerson });

export const createCampaignDraft = defineAction({
  name: "createCampaignDraft",
  schema: createCampaignInput,
  run: createCampaign,
  revalidate: () => ["/campaigns"],
});

export const launchCampaignNow = defineAction({
  name: "launchCampaignNow",
  schema: campaignIdInput,
  run: launchCampaign,
  revalidate: (input) => paths(input.campaignId),
});

export const readLaunchProgress = defineAction({ name: "readLaunchProgress", schema: campaignIdInput, run: launchProgress });

export const closeCampaignNow = defineAction({
  name: "closeCampaignNow",
  schema: campaignIdInput,
  run: closeCampaign,
  revalidate: (input) => paths(input.campaignId),
});

export const extendCampaignDue = defineAction({
  name: "extendCampaignDue",
  schema: extendCampaignInput,
  run: extendCampaign,
  revalidate: (input) => paths(input.campaignId),
});
