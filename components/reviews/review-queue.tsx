"use client";

import Link from "next/link";
import { useCallback, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { QueueRow } from "@/db/queries/reviews";
import { decideReview } from "@/app/(app)/reviews/actions";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/field";
import { pressShortcut, ShortcutBar, useKeyboardShortcuts } from "@/components/ui/keyboard-shortcuts";
import { DecisionBadge, RecommendationBadge } from "./recommendation-badge";
import { reviewHref } from "./review-links";

/**
 * The queue on the left of "My reviews": j/k move, x selects, c/r/t/a/u act on the open item
 * (by pressing its buttons, so keyboard and mouse do exactly the same), / jumps to the filter,
 * ? lists the keys. Shortcuts can be turned off (WCAG 2.1.4).
 */
export function ReviewQueue({ rows, selectedId, query }: { rows: QueueRow[]; selectedId: string | null; query: Record<string, string | undefined> }) {
  const router = useRouter();
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [bulkComment, setBulkComment] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const hrefFor = useCallback((id: string) => reviewHref(query, id), [query]);

  const move = useCallback(
    (step: number) => {
      const index = rows.findIndex((r) => r.id === selectedId);
      const next = rows[Math.min(Math.max(index + step, 0), rows.length - 1)];
      if (next) router.push(hrefFor(next.id), { scroll: false });
    },
    [rows, selectedId, router, hrefFor],
  );

  const press = (key: string) => () => pressShortcut(key);
  const shortcuts = useKeyboardShortcuts({
    j: () => move(1),
    k: () => move(-1),
    x: () => selectedId && setSelection((s) => toggle(s, selectedId)),
    "/": () => (document.getElementById("queue-search") as HTMLInputElement | null)?.focus(),
    c: press("c"),
    r: press("r"),
    t: press("t"),
    a: press("a"),
    u: press("u"),
  });

  const chosen = rows.filter((r) => selection.has(r.id));
  const hidden = selection.size - chosen.length;
  const bulk = (decision: "certify" | "revoke") =>
    startTransition(async () => {
      const result = await decideReview({ items: chosen.map((r) => ({ itemId: r.id, version: r.version })), decision, comment: bulkComment || undefined });
      if (!result.ok) {
        setOutcome(`${result.message} ${result.fieldErrors ? Object.values(result.fieldErrors).flat().join(" ") : ""} Nothing was saved.`);
        return;
      }
      const refused = new Map(result.data.refused.map((r) => [r.itemId, r.reason]));
      setSelection(new Set(refused.keys()));
      setOutcome(`${result.data.decided.length} decided.` + (refused.size ? ` ${refused.size} refused and still selected: ${[...new Set(refused.values())].join(" ")}` : ""));
      router.refresh();
    });

  return (
    <div>
      <ShortcutBar shortcuts={shortcuts}>
        <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>x</kbd> select · <kbd>c</kbd> certify · <kbd>r</kbd> revoke · <kbd>t</kbd> reduce · <kbd>a</kbd> reassign · <kbd>u</kbd> undo · <kbd>/</kbd>{" "}
        search · <kbd>?</kbd> this help
      </ShortcutBar>
      {selection.size > 0 ? (
        <div className="mb-2 rounded border border-blue-300 bg-blue-50 p-2 text-sm" aria-label="Bulk decision">
          <p>
            <strong>{chosen.length} selected</strong>
            {hidden > 0 ? ` (${hidden} hidden by filter or page, not included)` : ""}. Bulk certify skips items that need a comment.
          </p>
          <div className="mt-1 flex flex-wrap items-end gap-2">
            <label>
              Comment for all
              <input value={bulkComment} onChange={(event) => setBulkComment(event.target.value)} className="ml-2 rounded border border-slate-400 px-2 py-1" />
            </label>
            <button type="button" className={buttonClass} disabled={pending || chosen.length === 0} onClick={() => bulk("certify")}>
              Certify {chosen.length} selected
            </button>
            <button type="button" className={buttonClass} disabled={pending || chosen.length === 0} onClick={() => bulk("revoke")}>
              Revoke {chosen.length} selected
            </button>
            <button type="button" className="underline" onClick={() => setSelection(new Set())}>
              Clear selection
            </button>
          </div>
        </div>
      ) : null}
      <p aria-live="polite" className="mb-1 text-sm">
        {outcome}
      </p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Review items assigned to you</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className="px-2 py-2">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Who
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Access
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Recommendation
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Decision
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id} aria-current={row.id === selectedId ? "true" : undefined} className={row.id === selectedId ? "bg-blue-50 outline outline-2 outline-blue-700" : ""}>
                <td className="px-2 py-2 align-top">
                  <input
                    type="checkbox"
                    aria-label={`Select ${row.entitlementName} for ${row.identityName}`}
                    checked={selection.has(row.id)}
                    onChange={() => setSelection((s) => toggle(s, row.id))}
                    className="h-5 w-5"
                  />
                </td>
                <td className="px-2 py-2 align-top">
                  <Link href={hrefFor(row.id)} scroll={false} className="font-medium text-blue-900 underline">
                    {row.identityName}
                  </Link>
                  <div className="text-xs text-slate-600">
                    {row.identityType.replaceAll("_", " ")}
                    {row.identityStatus !== "active" ? ` · ${row.identityStatus}` : ""}
                  </div>
                </td>
                <td className="px-2 py-2 align-top">
                  {row.entitlementName} <span className="text-slate-600">in {row.applicationName}</span>
                  <div className="mt-0.5 flex flex-wrap gap-1">
                    {row.privileged ? <Badge tone="warn">Privileged</Badge> : null}
                    <Badge>{row.grantKind.replaceAll("_", " ")}</Badge>
                    <span className="text-xs text-slate-600">
                      {row.sessionCount} session{row.sessionCount === 1 ? "" : "s"} · used {row.usageDays} d
                    </span>
                  </div>
                </td>
                <td className="px-2 py-2 align-top">
                  <RecommendationBadge value={row.recommendation} />
                </td>
                <td className="px-2 py-2 align-top">
                  <DecisionBadge value={row.decision} />
                  {row.revocationStatus ? <div className="text-xs">revocation {row.revocationStatus}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function toggle(set: Set<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
