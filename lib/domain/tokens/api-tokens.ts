import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { findTokenByHash, insertApiToken, listTokens, markTokenRevoked, touchToken } from "@/db/queries/tokens";
import { Forbidden, NotFound, Unauthenticated } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { mayAdminister, seesEverything } from "@/lib/domain/access/rules";
import type { AuditActor } from "@/lib/domain/audit/record-audit";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

export const TOKEN_SCOPES = ["scim", "events:write", "evidence:read", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const TOKEN_PREFIX = "acc_";

/** 256 bits of randomness; only the SHA-256 is stored, so the database alone cannot call the API. */
export const hashApiToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const createTokenInput = z
  .object({
    name: z.string().trim().min(3, "Name it so people can tell tokens apart (3+ characters).").max(100),
    scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, "Choose at least one scope."),
    /** Required for scim and events:write: the identity source or evidence source the token writes to. */
    source: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, "Lower-case letters, digits, dot, dash or underscore, e.g. okta-prod.")
      .optional(),
    expiresInDays: z.coerce.number().int().min(1).max(730).optional(),
  })
  .refine((v) => !v.scopes.includes("scim") || v.source, { path: ["source"], message: "A SCIM token belongs to one identity source; name it." });

export interface TokenPrincipal {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  source: string | null;
  createdById: string | null;
}

export function tokenAuditActor(token: TokenPrincipal): AuditActor {
  return { kind: "api_token", id: token.id, label: `token ${token.name} (${token.prefix}…)`, onBehalfOfId: token.createdById };
}

/** Admins create tokens; the secret is returned once and never again. */
export async function createApiToken(deps: Deps, actor: Actor, input: z.infer<typeof createTokenInput>) {
  if (!mayAdminister(actor)) throw new Forbidden("Only admins can create API tokens.");
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const { id } = await insertApiToken(tx, {
      name: input.name,
      scopes: input.scopes,
      source: input.source ?? null,
      tokenHash: hashApiToken(secret),
      prefix: secret.slice(0, 12),
      createdById: actor.id,
      createdAt: at,
      expiresAt: input.expiresInDays ? new Date(at.getTime() + input.expiresInDays * 86_400_000) : null,
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "api_token.created",
      entityType: "api_token",
      entityId: id,
      after: { name: input.name, scopes: input.scopes, source: input.source ?? null },
      at,
    });
    return { id, secret };
  });
}

export async function revokeApiToken(deps: Deps, actor: Actor, input: { tokenId: string }) {
  if (!mayAdminister(actor)) throw new Forbidden("Only admins can revoke API tokens.");
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const revoked = await markTokenRevoked(tx, { tokenId: input.tokenId, at });
    if (!revoked) throw new NotFound("That active token");
    await recordAudit(tx, { actor: auditActor(actor), action: "api_token.revoked", entityType: "api_token", entityId: revoked.id, after: { name: revoked.name }, at });
    return { revoked: true };
  });
}

export async function listApiTokens(deps: Deps, actor: Actor) {
  if (!seesEverything(actor)) throw new Forbidden("Only admins and auditors can see API tokens.");
  return listTokens(deps.db);
}

/**
 * Resolves "Authorization: Bearer ..." to a token that is live and carries the scope. A missing,
 * unknown, expired or revoked token is Unauthenticated (401); a live token without the scope
 * is Forbidden (403).
 */
export async function authenticateApiToken(deps: Deps, authorization: string | null, scope: TokenScope): Promise<TokenPrincipal> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match) throw new Unauthenticated("Send an API token as 'Authorization: Bearer <token>'.");
  const token = await findTokenByHash(deps.db, { tokenHash: hashApiToken(match[1]!) });
  const now = deps.now();
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) throw new Unauthenticated("The API token is not valid (unknown, expired or revoked).");
  if (!token.scopes.includes(scope)) throw new Forbidden(`This token lacks the '${scope}' scope.`);
  await touchToken(deps.db, { tokenId: token.id, at: now });
  return { id: token.id, name: token.name, prefix: token.prefix, scopes: token.scopes, source: token.source, createdById: token.createdById };
}
