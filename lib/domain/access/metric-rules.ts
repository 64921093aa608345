import type { Actor } from "./actor";
import { seesEverything, type Refusal } from "./rules";

/**
 * Dashboard visibility rules. Every figure is scoped in SQL (db/queries/scope.ts); these say who
 * may see a figure at all. Reviewer diligence names reviewers and how fast they decide: a
 * judgement about people, shown only to those who oversee the whole programme.
 */
export function canViewReviewerDiligence(actor: Actor): Refusal {
  return seesEverything(actor) ? { allowed: true } : { allowed: false, reason: "Reviewer diligence is shown to admins and auditors only: it judges individual reviewers." };
}
