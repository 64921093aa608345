import { z } from "zod";
import { Invalid } from "@/lib/errors";

/**
 * The dashboard's filters, as they travel in the URL. Every metric family applies the same
 * filters the same way (see lib/domain/metrics/sql.ts), so a chart and the list behind it agree.
 *
 * Periods are whole UTC days: `from` 00:00 UTC up to the end of `to` (24:00 UTC), or up to now
 * when `to` is today. Days later than today are never counted.
 */
export const IDENTITY_CATEGORIES = ["human", "non_human", "third_party"] as const;
export type IdentityCategory = (typeof IDENTITY_CATEGORIES)[number];
export const PERIOD_PRESETS = ["30", "90", "180", "365"] as const;

/** A calendar day, YYYY-MM-DD, that exists (no 31 February: the database would refuse it). */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, "Not a real date.");

export const metricFiltersSchema = z.object({
  /** One campaign: the review figures (campaigns, reviewer diligence, revocations) count its items only. */
  campaignId: z.uuid().optional().catch(undefined),
  applicationId: z.uuid().optional().catch(undefined),
  ownerId: z.uuid().optional().catch(undefined),
  department: z.string().trim().min(1).max(200).optional().catch(undefined),
  identityType: z.enum(IDENTITY_CATEGORIES).optional().catch(undefined),
  period: z.enum(PERIOD_PRESETS).optional().catch(undefined),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
});

export type MetricFilters = z.infer<typeof metricFiltersSchema>;

export interface Period {
  /** First day, YYYY-MM-DD (UTC). */
  fromDay: string;
  /** Last day, YYYY-MM-DD (UTC), never after today. */
  toDay: string;
  /** from 00:00 UTC */
  start: Date;
  /** The end of toDay, or now when toDay is today: nothing after it is counted. */
  end: Date;
  days: number;
}

const DAY_MS = 86_400_000;
export const MAX_PERIOD_DAYS = 731;
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
export const startOfDay = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** Resolves the period filter against the clock: default the last 90 days, today included. */
export function resolvePeriod(filters: MetricFilters, now: Date): Period {
  const today = dayOf(now);
  let toDay = filters.to && filters.to < today ? filters.to : today;
  const presetDays = Number(filters.period ?? "90");
  let fromDay = filters.from ?? dayOf(new Date(startOfDay(toDay).getTime() - (presetDays - 1) * DAY_MS));
  if (fromDay > toDay) throw new Invalid("The period starts after it ends.", { from: ["Must be on or before the end of the period."] });
  const days = Math.round((startOfDay(toDay).getTime() - startOfDay(fromDay).getTime()) / DAY_MS) + 1;
  if (days > MAX_PERIOD_DAYS) throw new Invalid(`A period can be at most ${MAX_PERIOD_DAYS} days.`, { from: [`At most ${MAX_PERIOD_DAYS} days before the end.`] });
  const endOfTo = new Date(startOfDay(toDay).getTime() + DAY_MS);
  toDay = toDay > today ? today : toDay;
  fromDay = fromDay > today ? today : fromDay;
  return { fromDay, toDay, start: startOfDay(fromDay), end: endOfTo.getTime() > now.getTime() ? now : endOfTo, days };
}

/** The filters as URL query parameters (for drill-down links), empty values left out. */
export function filterQuery(filters: MetricFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) if (value) out[key] = String(value);
  return out;
}
