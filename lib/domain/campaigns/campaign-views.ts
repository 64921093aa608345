import { z } from "zod";
import { countInScope } from "@/db/queries/campaign-launch";
import {
  campaignTotals,
  findActivePersonByEmail,
  getCampaign,
  listCampaignApplications,
  listCampaignItems,
  listCampaigns,
  namesForCampaign,
  progressByApplication,
  progressByReviewer,
  recommendationVsDecision,
} from "@/db/queries/campaigns";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canManageCampaign, canViewCampaign, isAdmin, mayCreateCampaigns, mayListCampaigns, seesEverything } from "@/lib/domain/access/rules";
import type { Deps } from "@/lib/domain/deps";
import { campaignScopeSchema, describeScope } from "./campaign-scope";

/** Rows shown per progress table; the rest are reached through the item filters. */
export const PROGRESS_ROWS = 100;

export const campaignListFiltersSchema = z.object({
  status: z.enum(["draft", "launching", "active", "closed"]).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

export const campaignItemFiltersSchema = z.object({
  status: z.enum(["pending", "decided", "closed", "overdue"]).optional().catch(undefined),
  reviewer: z.uuid().optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

/** Admins and auditors see every campaign; an application owner sees the ones they created. */
export async function browseCampaigns(deps: Deps, actor: Actor, filters: z.infer<typeof campaignListFiltersSchema>) {
  if (!mayListCampaigns(actor)) throw new Forbidden("Campaigns are run by admins and application owners.");
  return listCampaigns(deps.db, { ownerId: seesEverything(actor) ? null : actor.id, at: deps.now(), status: filters.status, cursor: filters.cursor });
}

/** What the "new campaign" form offers this person: the applications they may review. */
export async function newCampaignOptions(deps: Deps, actor: Actor) {
  if (!mayCreateCampaigns(actor)) throw new Forbidden("Only admins and application owners create campaigns.");
  const applications = await listCampaignApplications(deps.db, { ownerId: isAdmin(actor) ? null : actor.id });
  return { applications, mayChooseAnyApplication: isAdmin(actor) };
}

export const lookUpPersonInput = z.object({ email: z.email("Enter an email address.").max(320) });

/**
 * People are named by email, as the person creating a campaign knows them: an exact address
 * answers with that person, and nobody can browse the directory through this form.
 */
export async function lookUpCampaignPerson(deps: Deps, actor: Actor, input: z.infer<typeof lookUpPersonInput>) {
  if (!mayCreateCampaigns(actor)) throw new Forbidden("Only admins and application owners create campaigns.");
  const person = await findActivePersonByEmail(deps.db, { email: input.email });
  if (!person) throw new Invalid("No active person has that email address.", { email: ["No active person has that email address."] });
  return person;
}

async function visibleCampaign(deps: Deps, actor: Actor, campaignId: string) {
  if (!z.uuid().safeParse(campaignId).success) throw new NotFound("That campaign");
  const campaign = await getCampaign(deps.db, { campaignId });
  if (!campaign || !canViewCampaign(actor, campaign)) throw new NotFound("That campaign");
  return campaign;
}

/** Polled while a campaign launches: how many items are snapshotted so far. */
export async function launchProgress(deps: Deps, actor: Actor, input: { campaignId: string }) {
  const campaign = await visibleCampaign(deps, actor, input.campaignId);
  return { status: campaign.status, itemCount: campaign.itemCount };
}

/** Everything the campaign page shows, scoped to who may see the campaign. */
export async function campaignOverview(deps: Deps, actor: Actor, input: { campaignId: string; items: z.infer<typeof campaignItemFiltersSchema> }) {
  const campaign = await visibleCampaign(deps, actor, input.campaignId);
  const at = deps.now();
  const scope = campaignScopeSchema.safeParse(campaign.scope);
  const applicationIds = scope.success ? scope.data.applicationIds : [];
  const managerId = scope.success ? scope.data.managerId : undefined;
  const people = [campaign.fallbackReviewerId, campaign.createdById, managerId, ...campaign.namedReviewerIds].filter((id): id is string => Boolean(id));

  const [names, totals, byReviewer, byApplication, matrix, items] = await Promise.all([
    namesForCampaign(deps.db, { personIds: people, applicationIds }),
    campaignTotals(deps.db, { campaignId: campaign.id, at }),
    progressByReviewer(deps.db, { campaignId: campaign.id, at, limit: PROGRESS_ROWS }),
    progressByApplication(deps.db, { campaignId: campaign.id, at, limit: PROGRESS_ROWS }),
    recommendationVsDecision(deps.db, { campaignId: campaign.id }),
    listCampaignItems(deps.db, { campaignId: campaign.id, at, filters: { status: input.items.status, reviewerId: input.items.reviewer, cursor: input.items.cursor } }),
  ]);

  // Before launch the page says how many grants the scope selects now; while launching, how many to expect.
  let inScope: number | null = null;
  if (scope.success && !campaign.adHoc && (campaign.status === "draft" || campaign.status === "launching")) {
    inScope = await countInScope(deps.db, scope.data, campaign.status === "launching" && campaign.startsAt ? campaign.startsAt : at);
  }
  const nameOf = (id: string | null | undefined) => (id ? (names.people.get(id)?.name ?? null) : null);
  const scopeText = campaign.adHoc
    ? (campaign.description ?? "One-off reviews")
    : scope.success
      ? describeScope(scope.data, { applications: applicationIds.map((id) => names.applications.get(id) ?? "an application that no longer exists"), manager: nameOf(managerId) })
      : "Scope not readable";
  const manage = canManageCampaign(actor, campaign);
  return {
    campaign,
    scopeText,
    scope: scope.success ? scope.data : null,
    createdBy: nameOf(campaign.createdById),
    fallbackReviewer: nameOf(campaign.fallbackReviewerId),
    namedReviewers: campaign.namedReviewerIds.map((id) => nameOf(id) ?? "unknown person"),
    applications: applicationIds.map((id) => ({ id, name: names.applications.get(id) ?? null })),
    inScope,
    totals,
    byReviewer,
    byApplication,
    matrix,
    items,
    now: at,
    /** Why this person may not launch, close or extend it; null when they may (the server checks again). */
    manageRefusal: manage.allowed ? null : manage.reason,
  };
}

export type CampaignOverview = Awaited<ReturnType<typeof campaignOverview>>;
