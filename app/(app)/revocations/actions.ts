"use server";

import { defineAction } from "@/lib/actions/define-action";
import { attestRevocation, attestRevocationInput, retryRevocation, retryRevocationInput } from "@/lib/domain/revocations/manage";
import { revokeGrant, revokeGrantInput } from "@/lib/domain/revocations/revoke-grant";

export const retry = defineAction({ name: "retryRevocation", schema: retryRevocationInput, run: retryRevocation, revalidate: () => ["/revocations", "/grants"] });

export const attest = defineAction({ name: "attestRevocation", schema: attestRevocationInput, run: attestRevocation, revalidate: () => ["/revocations", "/grants"] });

export const revokeNow = defineAction({ name: "revokeGrant", schema: revokeGrantInput, run: revokeGrant, revalidate: (input) => [`/grants/${input.grantId}`, "/revocations"] });
