"use server";

import { defineAction } from "@/lib/actions/define-action";
import { activateGrant, activateInput } from "@/lib/domain/jit/activate";
import { deactivateActivation, deactivateInput } from "@/lib/domain/jit/deactivate";

export const activate = defineAction({
  name: "activateGrant",
  schema: activateInput,
  run: activateGrant,
  revalidate: (input) => [`/grants/${input.grantId}`],
});

export const deactivate = defineAction({
  name: "deactivateActivation",
  schema: deactivateInput,
  run: deactivateActivation,
  revalidate: (_, result) => [`/grants/${result.grantId}`],
});
