import { inArray } from "drizzle-orm";
import { applications } from "@/db/schema";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { createCampaign, createCampaignInput } from "@/lib/domain/campaigns/create-campaign";
import { launchCampaign, runLaunch } from "@/lib/domain/campaigns/launch-campaign";
import type { Deps } from "@/lib/domain/deps";
import { DEMO_PEOPLE } from "./people";

/** Applications the demo's first campaign reviews: where Maya's reports hold most of their access. */
export const DEMO_CAMPAIGN_APPLICATIONS = ["AWS production", "GitHub", "Jira", "Teleport"] as const;

export function demoCampaignName(now: Date): string {
  return `Q${Math.floor(now.getUTCMonth() / 3) + 1} access review`;
}

/**
 * The demo opens with one active campaign, made the way an admin would make it (the domain
 * functions, audited), so a manager has items to review at first sign-in. The launch runs here
 * rather than waiting for the job worker; the queued job then finds it done and does nothing.
 */
export async function seedDemoCampaign(deps: Deps): Promise<{ campaignId: string; items: number }> {
  const adminEmail = DEMO_PEOPLE.find((p) => p.role === "admin")!.email;
  const admin = await loadActiveActorByEmail(deps.db, adminEmail);
  if (!admin) throw new Error(`demo admin ${adminEmail} is missing`);
  const apps = await deps.db
    .select({ id: applications.id })
    .from(applications)
    .where(inArray(applications.name, [...DEMO_CAMPAIGN_APPLICATIONS]));
  const input = createCampaignInput.parse({
    name: demoCampaignName(deps.now()),
    description: "Managers certify their people's access to production and engineering tools. Undecided access is kept and flagged at close.",
    scope: { applicationIds: apps.map((a) => a.id) },
    reviewerRule: "manager",
    fallbackReviewerId: admin.id,
    dueInDays: 14,
    recurrence: "quarterly",
  });
  const { campaignId } = await createCampaign(deps, admin, input);
  await launchCampaign(deps, admin, { campaignId });
  const { items } = await runLaunch(deps, { campaignId });
  return { campaignId, items };
}
