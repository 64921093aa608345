import { filterQuery, type MetricFilters } from "@/lib/domain/metrics/filters";

/** The list behind a figure: the dashboard's filters plus what picks the figure, all in the URL. */
export function itemsHref(filters: MetricFilters, pick: Record<string, string | undefined>): string {
  const params = new URLSearchParams(filterQuery(filters));
  for (const [k, v] of Object.entries(pick)) if (v !== undefined) params.set(k, v);
  return `/dashboard/items?${params.toString()}`;
}

export function dashboardHref(filters: MetricFilters): string {
  const qs = new URLSearchParams(filterQuery(filters)).toString();
  return qs ? `/dashboard?${qs}` : "/dashboard";
}

export const CATEGORY_LABELS = { human: "Humans", non_human: "Non-human identities", third_party: "Third parties" } as const;
export const KIND_LABELS = { standing: "Standing", time_bound: "Time-bound", eligible: "Just-in-time" } as const;
export const UNUSED_LABELS = { in_use: "Used in the last 30 days", "30": "Unused 30–59 days", "60": "Unused 60–89 days", "90": "Unused 90 days or more" } as const;
export const NHI_LABELS = { no_owner: "No owner", owner_leaver: "Owner has left", privileged_standing: "Privileged standing access" } as const;
export const AGE_LABELS = { "0-7": "0–7 days", "8-30": "8–30 days", "31-90": "31–90 days", "90+": "Over 90 days" } as const;
export const SEVERITY_LABELS = { critical: "Critical", high: "High", medium: "Medium", low: "Low" } as const;
