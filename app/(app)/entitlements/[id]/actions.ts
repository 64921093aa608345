"use server";

import { defineAction } from "@/lib/actions/define-action";
import { setEntitlementPolicy, setPolicyInput } from "@/lib/domain/entitlements/set-policy";

export const saveEntitlementPolicy = defineAction({
  name: "saveEntitlementPolicy",
  schema: setPolicyInput,
  run: setEntitlementPolicy,
  revalidate: (input) => [`/entitlements/${input.entitlementId}`],
});
