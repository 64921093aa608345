import { z } from "zod";
import { eq, inArray } from "drizzle-orm";
import { countInScope } from "@/db/queries/campaign-launch";
import { applications, campaigns, identities } from "@/db/schema";
import { Invalid } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { campaignScopeSchema, describeScope } from "./campaign-scope";
import { assertMayRunScope } from "./manage";

const rule = z.enum(["manager", "app_owner", "entitlement_owner", "nhi_owner", "named"]);
const DAY = 86_400_000;

export const createCampaignInput = z
  .object({
    name: z.string().trim().min(3, "Give the campaign a name of at least 3 characters.").max(200),
    description: z.string().trim().max(2000).optional(),
    scope: campaignScopeSchema,
    reviewerRule: rule,
    namedReviewerIds: z.array(z.uuid()).max(50).default([]),
    fallbackReviewerId: z.uuid("Choose a fallback reviewer: they take items the rule cannot assign."),
    secondStageRule: rule.optional(),
    secondStagePrivilegedOnly: z.boolean().default(true),
    dueInDays: z.coerce.number().int().min(1).max(365).default(14),
    reminderDaysBefore: z.array(z.number().int().min(0).max(60)).max(5).default([7, 1]),
    escalateTo: z.enum(["manager", "fallback"]).default("manager"),
    closePolicy: z.enum(["revoke", "keep_and_flag", "extend_once"]).default("keep_and_flag"),
    removals: z.enum(["at_close", "on_decision"]).default("at_close"),
    recurrence: z.enum(["none", "quarterly", "yearly", "custom"]).default("none"),
    recurrenceDays: z.coerce.number().int().min(7).max(730).optional(),
    windowDays: z.coerce.number().int().min(7).max(365).default(90),
    privilegedReviewDays: z.coerce.number().int().min(7).max(730).default(90),
    standardReviewDays: z.coerce.number().int().min(7).max(1095).default(365),
  })
  .refine((v) => v.reviewerRule !== "named" || v.namedReviewerIds.length > 0, { path: ["namedReviewerIds"], message: "Name at least one reviewer." })
  .refine((v) => v.recurrence !== "custom" || v.recurrenceDays !== undefined, { path: ["recurrenceDays"], message: "Say how many days between runs." });

export type CreateCampaignInput = z.infer<typeof createCampaignInput>;

/** How often each recurrence runs. */
export function recurrenceDays(c: { recurrence: string; recurrenceDays: number | null }): number | null {
  if (c.recurrence === "quarterly") return 91;
  if (c.recurrence === "yearly") return 365;
  if (c.recurrence === "custom") return c.recurrenceDays;
  return null;
}

/** How many grants the scope selects now, and what it says in words: shown before launching. */
export async function previewCampaign(deps: Deps, actor: Actor, input: { scope: z.input<typeof campaignScopeSchema> }) {
  const scope = campaignScopeSchema.parse(input.scope);
  await assertMayRunScope(deps.db, actor, scope);
  const [count, apps, manager] = await Promise.all([
    countInScope(deps.db, scope, deps.now()),
    scope.applicationIds.length ? deps.db.select({ name: applications.name }).from(applications).where(inArray(applications.id, scope.applicationIds)) : [],
    scope.managerId ? deps.db.select({ name: identities.displayName }).from(identities).where(eq(identities.id, scope.managerId)) : [],
  ]);
  return { count, description: describeScope(scope, { applications: apps.map((a) => a.name), manager: manager[0]?.name ?? null }) };
}

/** A draft campaign: nothing is snapshotted until it is launched. */
export async function createCampaign(deps: Deps, actor: Actor, input: CreateCampaignInput) {
  return deps.db.transaction(async (tx) => {
    await assertMayRunScope(tx, actor, input.scope);
    const people = [input.fallbackReviewerId, ...input.namedReviewerIds, ...(input.scope.managerId ? [input.scope.managerId] : [])];
    const found = await tx.select({ id: identities.id, status: identities.status, kind: identities.kind }).from(identities).where(inArray(identities.id, people));
    const byId = new Map(found.map((p) => [p.id, p]));
    const fallback = byId.get(input.fallbackReviewerId);
    if (!fallback || fallback.status !== "active" || fallback.kind !== "human") {
      throw new Invalid("The fallback reviewer must be an active person.", { fallbackReviewerId: ["Choose an active person."] });
    }
    if (input.namedReviewerIds.some((id) => byId.get(id)?.status !== "active")) {
      throw new Invalid("Every named reviewer must be an active person.", { namedReviewerIds: ["Remove reviewers who are not active."] });
    }
    if (input.scope.managerId && !byId.has(input.scope.managerId)) throw new Invalid("That manager does not exist.", { "scope.managerId": ["Unknown person."] });

    const at = deps.now();
    const [campaign] = await tx
      .insert(campaigns)
      .values({
        name: input.name,
        description: input.description ?? null,
        scope: input.scope,
        reviewerRule: input.reviewerRule,
        namedReviewerIds: input.namedReviewerIds,
        fallbackReviewerId: input.fallbackReviewerId,
        secondStageRule: input.secondStageRule ?? null,
        secondStagePrivilegedOnly: input.secondStagePrivilegedOnly,
        dueAt: new Date(at.getTime() + input.dueInDays * DAY),
        reminderDaysBefore: input.reminderDaysBefore,
        escalateTo: input.escalateTo,
        closePolicy: input.closePolicy,
        removals: input.removals,
        recurrence: input.recurrence,
        recurrenceDays: input.recurrence === "custom" ? (input.recurrenceDays ?? null) : null,
        windowDays: input.windowDays,
        privilegedReviewDays: input.privilegedReviewDays,
        standardReviewDays: input.standardReviewDays,
        createdById: actor.id,
        createdAt: at,
      })
      .returning();
    // A series is named by its first run.
    await tx.update(campaigns).set({ seriesId: campaign!.id }).where(eq(campaigns.id, campaign!.id));
    await recordAudit(tx, { actor: auditActor(actor), action: "campaign.created", entityType: "campaign", entityId: campaign!.id, after: input, at });
    return { campaignId: campaign!.id };
  });
}
