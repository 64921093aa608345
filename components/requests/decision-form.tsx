"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { decideStep } from "@/app/(app)/approvals/actions";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { useHydrated } from "@/components/ui/use-hydrated";
import { FieldError } from "./request-form";

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";

/**
 * Approve, approve a shorter duration, or deny (a reason is required) one step of a request.
 * Nothing is preselected; the buttons name what they do. After a decision focus moves on to the
 * next request in the queue.
 */
export function DecisionForm({
  stepId,
  subject,
  durationOptions,
  nextHref,
}: {
  stepId: string;
  /** "Erin Employee's request for AdministratorAccess" */
  subject: string;
  /** Shorter durations this approver may allow, in minutes, with labels; empty when the kind has none. */
  durationOptions: [minutes: number, label: string][];
  nextHref: string | null;
}) {
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [duration, setDuration] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const hydrated = useHydrated();

  useEffect(() => {
    setComment("");
    setDuration("");
    setErrors({});
    setMessage(null);
  }, [stepId]);

  const decide = (decision: "approve" | "deny") => {
    if (decision === "deny" && comment.trim().length < 3) {
      setErrors({ comment: ["A reason is required to deny."] });
      commentRef.current?.focus();
      return;
    }
    startTransition(async () => {
      const result = await decideStep({ stepId, decision, comment, durationMinutes: decision === "approve" ? duration : "" });
      if (result.ok) {
        const text = decision === "deny" ? "Denied." : result.data.outcome === "fulfilled" ? "Approved: the access is granted." : "Approved: the request moves to its next approver.";
        setMessage({ ok: true, text });
        if (nextHref) router.push(nextHref, { scroll: false });
        else router.refresh();
      } else {
        setErrors(result.fieldErrors ?? {});
        setMessage({ ok: false, text: `${result.message} Nothing was saved.` });
        if (result.code === "FORBIDDEN" || result.code === "INVALID") router.refresh();
      }
    });
  };

  return (
    <div className="sticky bottom-0 space-y-2 rounded-lg border border-slate-300 bg-white p-3 shadow" aria-label="Decision">
      <label className="block text-sm font-medium text-slate-800">
        Comment (required to deny)
        <textarea
          ref={commentRef}
          rows={2}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          className={control}
          {...(errors.comment?.length ? { "aria-invalid": true, "aria-describedby": "comment-error" } : {})}
        />
        <FieldError id="comment-error" errors={errors.comment} />
      </label>
      {durationOptions.length > 0 ? (
        <label className="block text-sm font-medium text-slate-800">
          Approve for a shorter time (optional)
          <select value={duration} onChange={(event) => setDuration(event.target.value)} className={control}>
            <option value="">As requested</option>
            {durationOptions.map(([minutes, label]) => (
              <option key={minutes} value={minutes}>
                {label}
              </option>
            ))}
          </select>
          <FieldError id="durationMinutes-error" errors={errors.durationMinutes} />
        </label>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" data-shortcut="a" disabled={pending || !hydrated} className={buttonClass} onClick={() => decide("approve")}>
          {duration ? "Approve shorter" : "Approve"} {subject}
        </button>
        <button type="button" data-shortcut="d" disabled={pending || !hydrated} className={secondaryButtonClass} onClick={() => decide("deny")}>
          Deny {subject}
        </button>
      </div>
      <p aria-live="polite" className="text-sm">
        {message ? (
          <span role={message.ok ? undefined : "alert"} className={message.ok ? "text-emerald-800" : "text-red-800"}>
            {message.text}
          </span>
        ) : null}
      </p>
    </div>
  );
}
