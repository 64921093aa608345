"use server";

import { defineAction } from "@/lib/actions/define-action";
import { setPlatformRole, setRoleInput } from "@/lib/domain/identities/assign-role";
import { setIdentityStatus, setIdentityStatusInput } from "@/lib/domain/identities/set-status";

export const changeIdentityStatus = defineAction({
  name: "changeIdentityStatus",
  schema: setIdentityStatusInput,
  run: setIdentityStatus,
  revalidate: (input) => [`/identities/${input.identityId}`, "/identities"],
});

export const changePlatformRole = defineAction({
  name: "changePlatformRole",
  schema: setRoleInput,
  run: setPlatformRole,
  revalidate: (input) => [`/identities/${input.identityId}`],
});
