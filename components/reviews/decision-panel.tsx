"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/actions/define-action";
import { decideReview, reassignReview, undoReview } from "@/app/(app)/reviews/actions";
import { buttonClass } from "@/components/ui/field";

export interface DecisionTarget {
  id: string;
  version: number;
  identityName: string;
  entitlementName: string;
  decision: string | null;
  needsComment: boolean;
  /** Why the controls are hidden, when they are. */
  refusal: string | null;
  removals: "at_close" | "on_decision";
}

type Mode = null | "revoke" | "reduce" | "reassign";

/**
 * The decision bar. Nothing is preselected; the primary action names its object ("Revoke
 * prod-admin from Ana"). Time on the item is measured from when it was shown.
 */
export function DecisionPanel({ target, nextHref }: { target: DecisionTarget; nextHref?: string | null }) {
  const router = useRouter();
  const shownAt = useRef(Date.now());
  const [mode, setMode] = useState<Mode>(null);
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const commentRef = useRef<HTMLTextAreaElement>(null);

  // A new item starts afresh; a new version of the same item (after a decision) keeps the announcement.
  useEffect(() => {
    shownAt.current = Date.now();
    setMode(null);
    setComment("");
    setMessage(null);
  }, [target.id]);

  if (target.refusal) {
    return <p className="rounded border border-slate-300 bg-slate-50 p-3 text-sm">{target.refusal}</p>;
  }

  const secondsSpent = () => Math.round((Date.now() - shownAt.current) / 1000);
  const run = (call: () => Promise<ActionResult<unknown>>, success: string) =>
    startTransition(async () => {
      const result = await call();
      if (result.ok) {
        setMessage({ ok: true, text: success });
        // Focus moves on to the next item; the queue re-renders with the new state either way.
        if (nextHref) router.push(nextHref, { scroll: false });
        else router.refresh();
      } else {
        const fields = result.fieldErrors ? " " + Object.values(result.fieldErrors).flat().join(" ") : "";
        setMessage({ ok: false, text: `${result.message}${fields} Nothing was saved.` });
        if (result.code === "CONFLICT") router.refresh();
      }
    });

  const decide = (decision: "certify" | "revoke" | "reduce", extra: Record<string, unknown> = {}) =>
    run(
      () => decideReview({ items: [{ itemId: target.id, version: target.version }], decision, comment: comment || undefined, secondsSpent: secondsSpent(), ...extra }),
      decision === "certify" ? "Certified." : target.removals === "at_close" ? "Decision saved: the removal takes effect when the campaign closes." : "Decision saved: the revocation has started.",
    );

  const askComment = (next: Mode) => {
    setMode(next);
    requestAnimationFrame(() => commentRef.current?.focus());
  };

  return (
    <div className="sticky bottom-0 rounded-lg border border-slate-300 bg-white p-3 shadow-sm" aria-label="Decision">
      <label htmlFor="review-comment" className="block text-sm font-medium">
        Comment {target.needsComment ? "(required to certify: privileged access unused in the window)" : mode === "revoke" ? "(required to revoke)" : "(optional)"}
      </label>
      <textarea
        id="review-comment"
        ref={commentRef}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        rows={2}
        className="mt-1 w-full rounded border border-slate-400 p-2 text-sm"
      />
      {mode === "reduce" ? <ReduceOptions onSubmit={(extra) => decide("reduce", extra)} pending={pending} /> : null}
      {mode === "reassign" ? (
        <form
          className="mt-2 flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            const email = String(new FormData(event.currentTarget).get("email") ?? "");
            run(() => reassignReview({ itemId: target.id, version: target.version, comment, reassignToEmail: email }), "Reassigned.");
          }}
        >
          <label className="text-sm">
            New reviewer's email
            <input name="email" type="email" required className="ml-2 rounded border border-slate-400 px-2 py-1" />
          </label>
          <button type="submit" className={buttonClass} disabled={pending}>
            Reassign with this comment
          </button>
        </form>
      ) : null}
      <div className="mt-2 flex flex-wrap gap-2">
        <button type="button" data-shortcut="c" className={buttonClass} disabled={pending} onClick={() => decide("certify")}>
          Certify
        </button>
        <button
          type="button"
          data-shortcut="r"
          disabled={pending}
          className="min-h-9 rounded bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:opacity-60"
          onClick={() => (comment.trim().length >= 3 ? decide("revoke") : askComment("revoke"))}
        >
          Revoke {target.entitlementName} from {target.identityName}
        </button>
        <button type="button" data-shortcut="t" className={buttonClass} disabled={pending} onClick={() => setMode(mode === "reduce" ? null : "reduce")}>
          Reduce…
        </button>
        <button type="button" data-shortcut="a" className={buttonClass} disabled={pending} onClick={() => askComment(mode === "reassign" ? null : "reassign")}>
          Reassign…
        </button>
        {target.decision ? (
          <button type="button" data-shortcut="u" className={buttonClass} disabled={pending} onClick={() => run(() => undoReview({ itemId: target.id, version: target.version }), "Decision undone.")}>
            Undo decision
          </button>
        ) : null}
      </div>
      <p aria-live="polite" className="mt-2 min-h-5 text-sm">
        {message ? (
          <span role={message.ok ? undefined : "alert"} className={message.ok ? "text-emerald-800" : "text-red-800"}>
            {message.text}
          </span>
        ) : mode === "revoke" ? (
          "Say why this access should be revoked, then press Revoke again."
        ) : null}
      </p>
    </div>
  );
}

function ReduceOptions({ onSubmit, pending }: { onSubmit: (extra: Record<string, unknown>) => void; pending: boolean }) {
  const [to, setTo] = useState<"eligible" | "time_bound">("eligible");
  const [until, setUntil] = useState("");
  return (
    <fieldset className="mt-2 flex flex-wrap items-end gap-3 text-sm">
      <legend className="sr-only">Reduce to</legend>
      <label>
        <input type="radio" name="reduceTo" checked={to === "eligible"} onChange={() => setTo("eligible")} /> Just-in-time (eligible)
      </label>
      <label>
        <input type="radio" name="reduceTo" checked={to === "time_bound"} onChange={() => setTo("time_bound")} /> Time-bound until
      </label>
      <input
        type="date"
        aria-label="Time-bound until"
        value={until}
        onChange={(event) => setUntil(event.target.value)}
        disabled={to !== "time_bound"}
        className="rounded border border-slate-400 px-2 py-1"
      />
      <button type="button" className={buttonClass} disabled={pending} onClick={() => onSubmit({ reduceTo: to, ...(to === "time_bound" && until ? { expiresAt: until } : {}) })}>
        Reduce
      </button>
    </fieldset>
  );
}
