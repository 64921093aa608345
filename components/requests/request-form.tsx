"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import type { ActionResult } from "@/lib/actions/define-action";
import { buttonClass } from "@/components/ui/field";
import { useHydrated } from "@/components/ui/use-hydrated";

type Kind = "time_bound" | "eligible" | "standing";

const KIND_TEXT: Record<Kind, [label: string, hint: string]> = {
  time_bound: ["Time-bound", "Live from approval until the end you choose, then removed."],
  eligible: ["Just-in-time (JIT)", "You are eligible and activate it yourself for a short window when you need it."],
  standing: ["Standing", "Always on until someone removes it. Reviewed in campaigns."],
};

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm aria-[invalid=true]:border-red-700";

export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-800">
      {errors.join(" ")}
    </p>
  );
}

/**
 * The request form: errors are shown beside the field they name (from zod or from the policy
 * check), and a submitted request opens its status page.
 */
export function RequestForm({
  action,
  entitlementId,
  entitlementName,
  kinds,
  beneficiaries,
  maxDurationMinutes,
  requiresTicket,
  expiryHours,
}: {
  action: (input: FormData) => Promise<ActionResult<{ requestId: string }>>;
  entitlementId: string;
  entitlementName: string;
  kinds: Kind[];
  beneficiaries: { id: string; displayName: string; kind: string; self: boolean }[];
  maxDurationMinutes: number | null;
  requiresTicket: boolean;
  expiryHours: number;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [kind, setKind] = useState<Kind | null>(kinds.length === 1 ? kinds[0]! : null);
  // React resets a form after its action; what was typed comes back as the fields' defaults.
  const [submitted, formAction, pending] = useActionState(
    async (_: { result: ActionResult<{ requestId: string }>; values: Record<string, string> } | null, data: FormData) => ({
      result: await action(data),
      values: Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)])),
    }),
    null,
  );
  const state = submitted?.result ?? null;
  const values = submitted?.values ?? {};
  useEffect(() => {
    if (state?.ok) router.push(`/requests/${state.data.requestId}`);
  }, [state, router]);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const invalid = (field: string) => (errors[field]?.length ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {});
  const durationErrors = [...(errors.duration ?? []), ...(errors.durationAmount ?? []), ...(errors.durationUnit ?? [])];
  const max = maxDurationMinutes ? (maxDurationMinutes % 60 === 0 ? `${maxDurationMinutes / 60} hours` : `${maxDurationMinutes} minutes`) : null;

  return (
    <form action={formAction} aria-busy={pending} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" noValidate>
      <input type="hidden" name="entitlementId" value={entitlementId} />
      <fieldset disabled={pending} className="space-y-4">
        <label className="block text-sm font-medium text-slate-800">
          Who is it for
          <select name="beneficiaryId" className={control} defaultValue={values.beneficiaryId ?? beneficiaries.find((b) => b.self)?.id} {...invalid("beneficiaryId")}>
            {beneficiaries.map((b) => (
              <option key={b.id} value={b.id}>
                {b.self ? `Myself (${b.displayName})` : `${b.displayName}${b.kind === "non_human" ? " (non-human identity you own)" : " (reports to you)"}`}
              </option>
            ))}
          </select>
          <FieldError id="beneficiaryId-error" errors={errors.beneficiaryId} />
        </label>

        <fieldset {...invalid("kind")}>
          <legend className="text-sm font-medium text-slate-800">Kind of access</legend>
          <div className="mt-1 space-y-1">
            {kinds.map((k) => (
              <label key={k} className="flex items-start gap-2 text-sm">
                <input type="radio" name="kind" value={k} defaultChecked={(values.kind ?? (kinds.length === 1 ? kinds[0] : undefined)) === k} onChange={() => setKind(k)} className="mt-1 h-4 w-4" />
                <span>
                  <strong>{KIND_TEXT[k][0]}</strong> <span className="text-slate-700">{KIND_TEXT[k][1]}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldError id="kind-error" errors={errors.kind} />
        </fieldset>

        {kind !== "standing" ? (
          <div>
            <div className="flex flex-wrap items-end gap-2">
              <label className="block text-sm font-medium text-slate-800">
                {kind === "eligible" ? "Eligible for (optional; empty means until removed or reviewed)" : "Duration"}
                <input
                  name="durationAmount"
                  type="number"
                  min="0"
                  step="any"
                  inputMode="decimal"
                  defaultValue={values.durationAmount ?? ""}
                  className={`${control} w-32`}
                  {...(durationErrors.length ? { "aria-invalid": true, "aria-describedby": "duration-error" } : {})}
                />
              </label>
              <label className="block text-sm font-medium text-slate-800">
                Unit
                <select name="durationUnit" className={control} defaultValue={values.durationUnit ?? (kind === "eligible" ? "days" : "hours")} key={kind ?? "none"}>
                  <option value="hours">hours</option>
                  <option value="days">days</option>
                </select>
              </label>
            </div>
            {kind === "eligible" && max ? <p className="mt-1 text-sm text-slate-700">Each activation window lasts at most {max}.</p> : null}
            {kind === "time_bound" && max ? <p className="mt-1 text-sm text-slate-700">The policy allows at most {max}.</p> : null}
            <FieldError id="duration-error" errors={durationErrors} />
          </div>
        ) : null}

        <label className="block text-sm font-medium text-slate-800">
          Justification
          <textarea name="justification" rows={3} defaultValue={values.justification ?? ""} className={control} {...invalid("justification")} />
          <FieldError id="justification-error" errors={errors.justification} />
        </label>

        <label className="block text-sm font-medium text-slate-800">
          Ticket {requiresTicket ? "(required by policy)" : "(optional)"}
          <input name="ticket" placeholder="ENG-5188" defaultValue={values.ticket ?? ""} className={`${control} w-48`} {...invalid("ticket")} />
          <FieldError id="ticket-error" errors={errors.ticket} />
        </label>

        <p className="text-sm text-slate-700">If nobody decides within {expiryHours % 24 === 0 ? `${expiryHours / 24} days` : `${expiryHours} hours`}, the request expires and you can ask again.</p>
        <button type="submit" className={buttonClass} disabled={!hydrated}>
          Request {entitlementName}
        </button>
      </fieldset>
      <p aria-live="polite" className="text-sm">
        {state?.ok ? <span className="text-emerald-800">Request submitted.</span> : null}
        {state && !state.ok ? (
          <span role="alert" className="text-red-800">
            {state.message} Nothing was submitted.
          </span>
        ) : null}
      </p>
    </form>
  );
}
