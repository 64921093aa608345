import { z } from "zod";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { listAvailableGrants } from "./available-grants";
import { listCampaignItems } from "./campaigns";
import { listReviewerDecisions } from "./diligence";
import { AGE_BUCKETS, listOpenFindings, SEVERITIES } from "./findings";
import { IDENTITY_CATEGORIES, isoDay, type MetricFilters } from "./filters";
import { listNhiConcern, NHI_CONCERNS } from "./nhi";
import { listRevocations } from "./revocations";
import { listUnusedGrants, UNUSED_BUCKETS } from "./unused";

/**
 * The list behind a dashboard figure, named in the URL: which metric and which point of it.
 * Each variant calls the list function of its metric family, which shares its SQL with the chart.
 */
const category = z.enum(IDENTITY_CATEGORIES).optional().catch(undefined);
const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

export const metricItemsSchema = z.discriminatedUnion("metric", [
  z.object({ metric: z.literal("standing"), day: isoDay, category: z.preprocess(emptyAsUndefined, category) }),
  z.object({ metric: z.literal("share"), day: isoDay, kind: z.enum(["standing", "time_bound", "eligible"]) }),
  z.object({ metric: z.literal("containment"), app: z.uuid() }),
  z.object({ metric: z.literal("unused"), bucket: z.enum(UNUSED_BUCKETS), category: z.preprocess(emptyAsUndefined, category) }),
  z.object({ metric: z.literal("nhi"), concern: z.enum(NHI_CONCERNS) }),
  z
    .object({
      metric: z.literal("campaign"),
      view: z.enum(["launched", "overdue", "recommendation"]),
      day: isoDay.optional(),
      decided: z.enum(["1", "0"]).optional(),
      recommendation: z.enum(["certify", "revoke", "reduce", "none"]).optional(),
      followed: z.enum(["followed", "other"]).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.view === "launched" && !v.day) ctx.addIssue({ code: "custom", path: ["day"], message: "A day is needed for launched items." });
      if (v.view === "recommendation" && (!v.recommendation || !v.followed)) ctx.addIssue({ code: "custom", path: ["recommendation"], message: "A recommendation and followed/other are needed." });
    }),
  z.object({ metric: z.literal("revocation"), view: z.enum(["verified", "failed", "overdue"]), week: isoDay.optional() }),
  z.object({
    metric: z.literal("finding"),
    findingKind: z.string().max(60).optional(),
    severity: z.preprocess(emptyAsUndefined, z.enum(SEVERITIES).optional()),
    age: z.preprocess(emptyAsUndefined, z.enum(AGE_BUCKETS).optional()),
  }),
  // No reviewer: every reviewer's decisions (the all-reviewers row).
  z.object({ metric: z.literal("reviewer"), reviewer: z.preprocess(emptyAsUndefined, z.uuid().optional()) }),
]);

export type MetricItemsQuery = z.infer<typeof metricItemsSchema>;

export async function getMetricItems(deps: Deps, actor: Actor, filters: MetricFilters, q: MetricItemsQuery, cursor?: string | null) {
  switch (q.metric) {
    case "standing":
      return { type: "grants" as const, query: q, page: await listAvailableGrants(deps, actor, filters, { day: q.day, kind: "standing", category: q.category }, cursor) };
    case "share":
      return { type: "grants" as const, query: q, page: await listAvailableGrants(deps, actor, filters, { day: q.day, kind: q.kind }, cursor) };
    case "containment":
      return { type: "grants" as const, query: q, page: await listAvailableGrants(deps, actor, filters, { applicationId: q.app }, cursor) };
    case "unused":
      return { type: "unused" as const, query: q, page: await listUnusedGrants(deps, actor, filters, { bucket: q.bucket, category: q.category }, cursor) };
    case "nhi":
      return { type: "nhi" as const, query: q, page: await listNhiConcern(deps, actor, filters, q.concern, cursor) };
    case "campaign": {
      const selection =
        q.view === "launched"
          ? { view: q.view, day: q.day!, decided: q.decided === undefined ? undefined : q.decided === "1" }
          : q.view === "overdue"
            ? { view: q.view }
            : { view: q.view, recommendation: q.recommendation!, followed: q.followed === "followed" };
      return { type: "reviewItems" as const, query: q, page: await listCampaignItems(deps, actor, filters, selection, cursor) };
    }
    case "revocation":
      return { type: "revocations" as const, query: q, page: await listRevocations(deps, actor, filters, q.view === "verified" ? { view: "verified", week: q.week } : { view: q.view }, cursor) };
    case "finding":
      return { type: "findings" as const, query: q, page: await listOpenFindings(deps, actor, filters, { kind: q.findingKind, severity: q.severity, age: q.age }, cursor) };
    case "reviewer":
      return { type: "decisions" as const, query: q, page: await listReviewerDecisions(deps, actor, filters, q.reviewer ?? null, cursor) };
  }
}

export type MetricItems = Awaited<ReturnType<typeof getMetricItems>>;
