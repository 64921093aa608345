"use server";

import { defineAction } from "@/lib/actions/define-action";
import { lookUpApproverInput, lookUpNamedApprover } from "@/lib/domain/entitlements/look-up-approver";
import { setEntitlementPolicy, setPolicyInput } from "@/lib/domain/entitlements/set-policy";

export const saveEntitlementPolicy = defineAction({
  name: "saveEntitlementPolicy",
  schema: setPolicyInput,
  run: setEntitlementPolicy,
  revalidate: (input) => [`/entitlements/${input.entitlementId}`],
});

export const lookUpApprover = defineAction({ name: "lookUpApprover", schema: lookUpApproverInput, run: lookUpNamedApprover });
