"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { acceptFinding, acceptFindingInput, findingGrantInput, openReviewFromFinding, reduceFromFinding, revokeFromFinding } from "@/lib/domain/findings/act-on-finding";
import { recomputeFindings } from "@/lib/domain/findings/recompute";

export const recomputeNow = defineAction({
  name: "recomputeFindings",
  schema: z.object({}),
  run: (deps, actor) => recomputeFindings(deps, actor),
  revalidate: () => ["/findings"],
});

export const acceptAsException = defineAction({
  name: "acceptFinding",
  schema: acceptFindingInput,
  run: acceptFinding,
  revalidate: (input) => ["/findings", `/findings/${input.findingId}`],
});

export const revokeFinding = defineAction({
  name: "revokeFromFinding",
  schema: findingGrantInput,
  run: revokeFromFinding,
  revalidate: (input) => [`/findings/${input.findingId}`, `/grants/${input.grantId}`],
});

export const reduceFinding = defineAction({
  name: "reduceFromFinding",
  schema: findingGrantInput,
  run: reduceFromFinding,
  revalidate: (input) => [`/findings/${input.findingId}`, `/grants/${input.grantId}`],
});

export const reviewFinding = defineAction({
  name: "openReviewFromFinding",
  schema: findingGrantInput,
  run: openReviewFromFinding,
  revalidate: (input) => [`/findings/${input.findingId}`],
});
