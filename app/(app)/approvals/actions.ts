"use server";

import { defineAction } from "@/lib/actions/define-action";
import { decideApprovalStep, decideStepInput } from "@/lib/domain/approvals/decide-step";

export const decideStep = defineAction({
  name: "decideStep",
  schema: decideStepInput,
  run: decideApprovalStep,
  revalidate: (_, result) => ["/approvals", "/requests", `/requests/${result.requestId}`, ...(result.grantId ? [`/grants/${result.grantId}`] : [])],
});
