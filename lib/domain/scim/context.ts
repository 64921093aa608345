import type { Executor } from "@/db/client";
import { recordAudit, type AuditInput } from "@/lib/domain/audit/record-audit";
import { tokenAuditActor, type TokenPrincipal } from "@/lib/domain/tokens/api-tokens";
import { ScimError } from "./errors";

/** The caller of the SCIM API: a `scim` token, and the identity source it owns and is confined to. */
export interface ScimPrincipal {
  token: TokenPrincipal;
  /** The token's source as identities carry it: "scim:<token source>". */
  source: string;
}

export function scimPrincipal(token: TokenPrincipal): ScimPrincipal {
  if (!token.source) throw new ScimError(403, "This token names no identity source; create a SCIM token for one source.");
  return { token, source: `scim:${token.source}` };
}

export interface ListInput {
  filter?: string | null;
  startIndex?: number | null;
  count?: number | null;
}

export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1_000;

/** RFC 7644 §3.4.2.4: startIndex is 1-based (below 1 reads as 1), count below 0 as 0. */
export function pageOf(input: ListInput): { startIndex: number; offset: number; limit: number } {
  const startIndex = Math.max(1, Math.floor(Number.isFinite(input.startIndex) ? input.startIndex! : 1));
  const limit = Math.min(MAX_COUNT, Math.max(0, Math.floor(Number.isFinite(input.count) ? input.count! : DEFAULT_COUNT)));
  return { startIndex, offset: startIndex - 1, limit };
}

export type ScimAudit = Omit<AuditInput, "actor">;

/**
 * Audit rows written last in the transaction: recordAudit serialises on one lock, so taking it
 * before the row locks a change still needs could deadlock against another writer.
 */
export async function writeAudits(tx: Executor, principal: ScimPrincipal, entries: ScimAudit[]): Promise<void> {
  for (const entry of entries) await recordAudit(tx, { ...entry, actor: tokenAuditActor(principal.token) });
}
