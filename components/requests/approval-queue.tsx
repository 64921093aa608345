"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { Badge } from "@/components/ui/badge";
import { pressShortcut, ShortcutBar, useKeyboardShortcuts } from "@/components/ui/keyboard-shortcuts";
import { formatDateTime } from "@/lib/format";
import { durationText, RequestKindBadge, RequestStatusBadge } from "./request-badges";

export interface QueueRequest {
  id: string;
  status: string;
  kind: string;
  durationMinutes: number | null;
  justification: string;
  ticket: string | null;
  createdAt: Date;
  expiresAt: Date;
  requesterName: string;
  beneficiaryName: string;
  beneficiaryKind: string;
  entitlementName: string;
  applicationName: string;
  privileged: boolean;
  breakGlass: boolean;
}

/**
 * The approvals queue: j/k move between requests, a approves and d denies the open one (by
 * pressing its buttons, so keyboard and mouse do the same), ? lists the keys.
 */
export function ApprovalQueue({ rows, selectedId, tab }: { rows: QueueRequest[]; selectedId: string | null; tab: string }) {
  const router = useRouter();
  const hrefFor = useCallback((id: string) => `/approvals?tab=${tab}&request=${id}`, [tab]);
  const move = useCallback(
    (step: number) => {
      const index = rows.findIndex((r) => r.id === selectedId);
      const next = rows[Math.min(Math.max(index + step, 0), rows.length - 1)];
      if (next) router.push(hrefFor(next.id), { scroll: false });
    },
    [rows, selectedId, router, hrefFor],
  );

  const shortcuts = useKeyboardShortcuts({ j: () => move(1), k: () => move(-1), a: () => pressShortcut("a"), d: () => pressShortcut("d") });

  return (
    <div>
      <ShortcutBar shortcuts={shortcuts}>
        <kbd>j</kbd>/<kbd>k</kbd> next/previous request · <kbd>a</kbd> approve · <kbd>d</kbd> deny (asks for a reason) · <kbd>?</kbd> this help
      </ShortcutBar>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Access requests</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className="px-2 py-2 text-left">
                Requester
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Access
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Kind
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                {tab === "needs" ? "Expires" : "Status"}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.id} aria-current={r.id === selectedId ? "true" : undefined} className={r.id === selectedId ? "bg-blue-50 outline outline-2 outline-blue-700" : ""}>
                <td className="px-2 py-2 align-top">
                  <Link href={hrefFor(r.id)} scroll={false} className="font-medium text-blue-900 underline">
                    {r.requesterName}
                  </Link>
                  {r.beneficiaryName !== r.requesterName ? (
                    <div className="text-xs text-slate-600">
                      for {r.beneficiaryName}
                      {r.beneficiaryKind === "non_human" ? " (non-human)" : ""}
                    </div>
                  ) : null}
                </td>
                <td className="px-2 py-2 align-top">
                  {r.entitlementName} <span className="text-slate-600">in {r.applicationName}</span>
                  {r.privileged ? (
                    <span className="ml-1">
                      <Badge tone="bad">Privileged</Badge>
                    </span>
                  ) : null}
                  <div className="line-clamp-2 text-xs text-slate-700">
                    “{r.justification}”{r.ticket ? ` · ${r.ticket}` : ""}
                  </div>
                </td>
                <td className="px-2 py-2 align-top">
                  <RequestKindBadge kind={r.kind} breakGlass={r.breakGlass} />
                  <div className="text-xs text-slate-700">{durationText(r.kind, r.durationMinutes)}</div>
                </td>
                <td className="px-2 py-2 align-top">{tab === "needs" ? <span className="whitespace-nowrap">{formatDateTime(r.expiresAt)}</span> : <RequestStatusBadge status={r.status} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
