import { z } from "zod";
import { riskLevel } from "@/db/schema/enums";
import { Invalid } from "@/lib/errors";

export const MAX_RULE_ENTITLEMENTS = 50;

const blankAsNull = (v: unknown) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);
/** A form posts the chosen entitlements as one comma-separated field; the API may send an array. */
const idList = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : v;

const ruleFields = {
  name: z.string({ error: "Give the rule a name." }).trim().min(1, "Give the rule a name.").max(120, "At most 120 characters."),
  description: z.preprocess(blankAsNull, z.string().trim().max(1000, "At most 1,000 characters.").nullable()),
  severity: z.enum(riskLevel.enumValues, { error: "Choose a severity: low, medium, high or critical." }),
  entitlementIds: z
    .preprocess(idList, z.array(z.uuid({ error: "Choose entitlements from the search results." }), { error: "Choose at least two different entitlements." }))
    .transform((ids) => [...new Set(ids)].sort())
    .refine((ids) => ids.length >= 2, "Choose at least two different entitlements.")
    .refine((ids) => ids.length <= MAX_RULE_ENTITLEMENTS, `At most ${MAX_RULE_ENTITLEMENTS} entitlements in one rule.`),
};

/** A separation-of-duties rule: a name, why it exists, how severe breaking it is, and two or more distinct entitlements. */
export const sodRuleInput = z.object(ruleFields);
export const updateSodRuleInput = z.object({ ruleId: z.uuid({ error: "Not a rule id." }), ...ruleFields });
export const sodRuleIdInput = z.object({ ruleId: z.uuid({ error: "Not a rule id." }) });

/** What a caller may hand the rule services before validation: a form's strings or an API's array. */
export interface SodRuleFields {
  name: string;
  description?: string | null;
  severity: string;
  entitlementIds: string[] | string;
}

/** Validates what a service was given, however it was called: errors name the field, as the action wrapper's do. */
export function parseOrInvalid<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".") || "form"] ??= []).push(issue.message);
  throw new Invalid("Some fields need attention.", fieldErrors);
}
