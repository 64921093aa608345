import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { notifications } from "@/db/schema";

export interface Notice {
  recipientIds: readonly string[];
  /** What kind of notice, e.g. "revocation.failed"; lets an inbox group and filter. */
  kind: string;
  subject: string;
  body: string;
  /** A path inside Accord where the recipient acts on it. */
  link?: string | null;
  /** Same key, same recipient: one notice, however often the cause repeats. */
  dedupeKey: string;
  at: Date;
}

/**
 * The one way the domain raises a notice to people (DESIGN.md "Notification"). Call it inside the
 * transaction of the cause; delivery (inbox, email, chat) happens later from the rows. De-duplicated
 * per recipient by `dedupeKey`, so a retried job never notifies twice. Returns how many were new.
 */
export async function notify(tx: Executor, notice: Notice): Promise<number> {
  const recipients = [...new Set(notice.recipientIds)];
  if (recipients.length === 0) return 0;
  const rows = await tx
    .insert(notifications)
    .values(
      recipients.map((recipientId) => ({
        recipientId,
        kind: notice.kind,
        subject: notice.subject,
        body: notice.body,
        link: notice.link ?? null,
        dedupeKey: `${notice.dedupeKey}:${recipientId}`,
        createdAt: sql`${notice.at.toISOString()}::timestamptz`,
      })),
    )
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  return rows.length;
}
