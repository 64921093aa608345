"use server";

import { z } from "zod";
import { sql } from "drizzle-orm";
import { identities } from "@/db/schema";
import { defineAction } from "@/lib/actions/define-action";
import { decideItems, decideItemsInput, undoDecision, undoDecisionInput } from "@/lib/domain/campaigns/decide-items";
import { reassignItem, reassignItemInput } from "@/lib/domain/campaigns/reassign-item";
import { Invalid } from "@/lib/errors";

export const decideReview = defineAction({
  name: "decideReview",
  schema: decideItemsInput,
  run: decideItems,
  revalidate: () => ["/reviews"],
});

export const undoReview = defineAction({
  name: "undoReview",
  schema: undoDecisionInput,
  run: undoDecision,
  revalidate: () => ["/reviews"],
});

/** Reviewers name the new reviewer by email, as they know them. */
export const reassignReview = defineAction({
  name: "reassignReview",
  schema: reassignItemInput.omit({ reassignToId: true }).extend({ reassignToEmail: z.email("Enter the new reviewer's email address.") }),
  run: async (deps, actor, input) => {
    const [person] = await deps.db
      .select({ id: identities.id })
      .from(identities)
      .where(sql`lower(${identities.email}) = ${input.reassignToEmail.toLowerCase()}`);
    if (!person) throw new Invalid("Nobody with that email address is known to Accord.", { reassignToEmail: ["Unknown person."] });
    return reassignItem(deps, actor, { itemId: input.itemId, version: input.version, comment: input.comment, reassignToId: person.id });
  },
  revalidate: () => ["/reviews"],
});
