import { desc, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { auditHash, GENESIS_HASH, toJsonDocument, type AuditContent } from "./hash";

export interface AuditActor {
  kind: "human" | "system" | "api_token";
  id: string | null;
  label: string;
  onBehalfOfId?: string | null;
}

export interface AuditInput {
  actor: AuditActor;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId?: string | null;
  at: Date;
}

// Serialises writers of the chain: each new row must see the previous committed hash.
const AUDIT_CHAIN_LOCK = 4_202_612;

/**
 * The only writer of audit_events. Call it inside the service's transaction: if this insert
 * fails, the transaction fails and the change it describes never happens.
 */
export async function recordAudit(tx: Executor, input: AuditInput): Promise<{ id: number; hash: string }> {
  const [row] = await recordAuditMany(tx, [input]);
  return row!;
}

/**
 * Several audit rows from one change (a bulk decision): one lock, one read of the chain's head
 * and one insert, chained in order, instead of a round trip per row.
 */
export async function recordAuditMany(tx: Executor, inputs: readonly AuditInput[]): Promise<{ id: number; hash: string }[]> {
  if (inputs.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const values = inputs.map((input) => {
    const content: AuditContent = {
      // Millisecond precision: the column keeps milliseconds, so the hash recomputes exactly.
      occurredAt: new Date(input.at.getTime()),
      actorKind: input.actor.kind,
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      onBehalfOfId: input.actor.onBehalfOfId ?? null,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before: toJsonDocument(input.before),
      after: toJsonDocument(input.after),
      reason: input.reason ?? null,
      requestId: input.requestId ?? null,
    };
    const hash = auditHash(prevHash, content);
    const row = { ...content, prevHash, hash };
    prevHash = hash;
    return row;
  });
  const rows = await tx.insert(auditEvents).values(values).returning({ id: auditEvents.id, hash: auditEvents.hash });
  // RETURNING follows the VALUES order for a plain insert; the ids are then ascending with the chain.
  return rows.sort((a, b) => a.id - b.id);
}
