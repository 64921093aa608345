"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import type { ActionResult } from "@/lib/actions/define-action";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { useHydrated } from "@/components/ui/use-hydrated";
import { FieldError } from "@/components/requests/request-form";
import { formatDateTime } from "@/lib/format";
import { activate, deactivate } from "../actions";

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";
const CHOICES = [15, 30, 60, 120, 240, 480, 720, 1440];
const label = (m: number) => (m < 60 ? `${m} minutes` : m % 60 === 0 ? `${m / 60} hour${m === 60 ? "" : "s"}` : `${Math.floor(m / 60)} h ${m % 60} min`);

export interface PanelProps {
  grantId: string;
  entitlementName: string;
  open: { id: string; endsAt: Date } | null;
  canEnd: boolean;
  activation: { allowed: true } | { allowed: false; reason: string };
  limitMinutes: number;
  requiresTicket: boolean;
  breakGlass: boolean;
  pagedNames: string[];
  reviewHours: number;
}

/** Counts down to the end of the open window, in plain text (updated each second). */
function Countdown({ endsAt }: { endsAt: Date }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (now === null) return null;
  const left = Math.max(0, Math.round((endsAt.getTime() - now) / 1000));
  return <span>{left === 0 ? "ending now" : `${Math.floor(left / 3600)} h ${String(Math.floor((left % 3600) / 60)).padStart(2, "0")} min ${String(left % 60).padStart(2, "0")} s left`}</span>;
}

type Result = ActionResult<{ activationId: string; endsAt: Date; reviewItemId: string | null }>;

/**
 * JIT on the grant page: the open window with a countdown and "End now", or the form to open
 * one. Break-glass has its own clearly marked form that needs an incident and says, before
 * anything happens, who is paged and that a review follows.
 */
export function ActivationPanel(props: PanelProps) {
  const router = useRouter();
  const hydrated = useHydrated();
  // React resets a form after its action; what was typed comes back as the fields' defaults.
  const [submitted, formAction, pending] = useActionState(
    async (_: { result: Result; values: Record<string, string> } | null, data: FormData) => ({
      result: await activate(data),
      values: Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)])),
    }),
    null,
  );
  const state = submitted?.result ?? null;
  const values = submitted?.values ?? {};
  const [ended, endAction, ending] = useActionState(async (_: ActionResult<unknown> | null, data: FormData) => deactivate(data), null);
  useEffect(() => {
    if (state?.ok || ended?.ok) router.refresh();
  }, [state, ended, router]);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const invalid = (field: string) => (errors[field]?.length ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {});
  const choices = [...CHOICES.filter((m) => m < props.limitMinutes), props.limitMinutes];

  if (props.open) {
    return (
      <div className="rounded-lg border border-emerald-300 bg-emerald-50 p-4" role="status">
        <p className="font-semibold">
          Active now, until {formatDateTime(props.open.endsAt)} (<Countdown endsAt={props.open.endsAt} />)
        </p>
        <p className="text-sm text-slate-700">The privilege is live only inside this window. Target systems may take a few minutes to catch up when it ends.</p>
        {props.canEnd ? (
          <form action={endAction} className="mt-2">
            <input type="hidden" name="activationId" value={props.open.id} />
            <button type="submit" className={secondaryButtonClass} disabled={ending || !hydrated}>
              End the window now
            </button>
          </form>
        ) : null}
        <p aria-live="polite" className="text-sm">
          {ended && !ended.ok ? (
            <span role="alert" className="text-red-800">
              {ended.message} Nothing was changed.
            </span>
          ) : null}
        </p>
      </div>
    );
  }
  if (!props.activation.allowed) return <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm">{props.activation.reason}</p>;

  return (
    <form action={formAction} aria-busy={pending} className={`space-y-3 rounded-lg border p-4 ${props.breakGlass ? "border-red-400 bg-red-50" : "border-slate-200 bg-white"}`} noValidate>
      <input type="hidden" name="grantId" value={props.grantId} />
      <input type="hidden" name="breakGlass" value={props.breakGlass ? "true" : "false"} />
      {props.breakGlass ? (
        <div>
          <p className="font-semibold text-red-900">Break glass: emergency access without approval</p>
          <ul className="mt-1 list-disc pl-5 text-sm text-red-900">
            <li>Pages {props.pagedNames.length ? props.pagedNames.join(", ") : "every admin"} the moment you activate.</li>
            <li>Everything you do is expected to be recorded in sessions tied to this window.</li>
            <li>Someone other than you must review this use within {props.reviewHours} hours.</li>
          </ul>
        </div>
      ) : null}
      <fieldset disabled={pending} className="grid gap-3 sm:grid-cols-2">
        <label className="block text-sm font-medium text-slate-800">
          For how long
          <select name="durationMinutes" defaultValue={values.durationMinutes ?? String(Math.min(60, props.limitMinutes))} className={control} {...invalid("durationMinutes")}>
            {choices.map((m) => (
              <option key={m} value={m}>
                {label(m)}
              </option>
            ))}
          </select>
          <FieldError id="durationMinutes-error" errors={errors.durationMinutes} />
        </label>
        {props.breakGlass ? (
          <label className="block text-sm font-medium text-slate-800">
            Incident
            <input name="incidentId" placeholder="INC-4821" defaultValue={values.incidentId ?? ""} className={control} {...invalid("incidentId")} />
            <FieldError id="incidentId-error" errors={errors.incidentId} />
          </label>
        ) : (
          <label className="block text-sm font-medium text-slate-800">
            Ticket {props.requiresTicket ? "(required by policy)" : "(optional)"}
            <input name="ticket" placeholder="ENG-5188" defaultValue={values.ticket ?? ""} className={control} {...invalid("ticket")} />
            <FieldError id="ticket-error" errors={errors.ticket} />
          </label>
        )}
        <label className="block text-sm font-medium text-slate-800 sm:col-span-2">
          Why now
          <textarea name="justification" rows={2} defaultValue={values.justification ?? ""} className={control} {...invalid("justification")} />
          <FieldError id="justification-error" errors={errors.justification} />
        </label>
        <div className="sm:col-span-2">
          <button type="submit" className={buttonClass} disabled={!hydrated}>
            {props.breakGlass ? `Break glass: activate ${props.entitlementName} now` : `Activate ${props.entitlementName}`}
          </button>
        </div>
      </fieldset>
      <p aria-live="polite" className="text-sm">
        {state?.ok ? <span className="text-emerald-800">Activated until {formatDateTime(new Date(state.data.endsAt))}.</span> : null}
        {state && !state.ok ? (
          <span role="alert" className="text-red-800">
            {state.message} {errors.form ? errors.form.join(" ") : ""} Nothing was activated.
          </span>
        ) : null}
      </p>
    </form>
  );
}
