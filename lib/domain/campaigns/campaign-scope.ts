import { z } from "zod";

/**
 * What a campaign reviews. Every condition narrows: "privileged only" with two applications
 * reviews the privileged grants of those two applications.
 */
export const campaignScopeSchema = z
  .object({
    applicationIds: z.array(z.uuid()).max(500).default([]),
    /** A manager's whole organisation (their reports, transitively). */
    managerId: z.uuid().optional(),
    privilegedOnly: z.boolean().default(false),
    /** Non-human identities (service accounts, keys, tokens, agents): pair with the nhi_owner reviewer rule. */
    nonHumanOnly: z.boolean().default(false),
    /** Grants that take part in a separation-of-duties conflict. */
    sodConflicts: z.boolean().default(false),
    /** Grants with a break-glass activation since they were last reviewed. */
    breakGlassUsed: z.boolean().default(false),
    /** Grants whose next review date has passed (or never had one). */
    reviewDue: z.boolean().default(false),
  })
  .strict();

export type CampaignScope = z.infer<typeof campaignScopeSchema>;

export function describeScope(scope: CampaignScope, names: { applications: string[]; manager: string | null }): string {
  const parts: string[] = [];
  if (scope.privilegedOnly) parts.push("privileged");
  if (scope.nonHumanOnly) parts.push("non-human identities'");
  parts.push("grants");
  if (names.applications.length > 0) parts.push(`in ${names.applications.join(", ")}`);
  if (names.manager) parts.push(`of ${names.manager}'s organisation`);
  if (scope.sodConflicts) parts.push("in separation-of-duties conflicts");
  if (scope.breakGlassUsed) parts.push("with break-glass use since their last review");
  if (scope.reviewDue) parts.push("due for review");
  const text = parts.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
