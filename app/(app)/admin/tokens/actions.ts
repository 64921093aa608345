"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { createApiToken, createTokenInput, revokeApiToken } from "@/lib/domain/tokens/api-tokens";

// Checkboxes arrive as one "scopes" field per ticked box, joined here by the form component.
const formInput = z.preprocess((raw) => {
  const value = raw as Record<string, unknown>;
  return { ...value, scopes: typeof value.scopes === "string" && value.scopes ? value.scopes.split(",") : [], source: value.source || undefined, expiresInDays: value.expiresInDays || undefined };
}, createTokenInput);

export const createToken = defineAction({
  name: "createToken",
  schema: formInput,
  run: createApiToken,
  revalidate: () => ["/admin/tokens"],
});

export const revokeToken = defineAction({
  name: "revokeToken",
  schema: z.object({ tokenId: z.uuid() }),
  run: revokeApiToken,
  revalidate: () => ["/admin/tokens"],
});
