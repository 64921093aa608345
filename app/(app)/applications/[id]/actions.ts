"use server";

import { defineAction } from "@/lib/actions/define-action";
import { setEntitlementPrivileged, setEntitlementPrivilegedInput } from "@/lib/domain/entitlements/set-privileged";

export const markEntitlementPrivileged = defineAction({
  name: "markEntitlementPrivileged",
  schema: setEntitlementPrivilegedInput,
  run: setEntitlementPrivileged,
  revalidate: (_, result) => (result.applicationId ? [`/applications/${result.applicationId}`] : []),
});
