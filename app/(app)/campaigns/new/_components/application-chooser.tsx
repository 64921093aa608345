"use client";

import { useState } from "react";
import { Errors } from "./form-parts";

/** A filterable checkbox list: thousands of applications stay usable, and every choice is a real checkbox. */
export function ApplicationChooser({
  applications,
  chosen,
  onChange,
  anyAllowed,
  errors,
}: {
  applications: { id: string; name: string; privilegedEntitlements: number }[];
  chosen: string[];
  onChange: (ids: string[]) => void;
  anyAllowed: boolean;
  errors: string[];
}) {
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = needle ? applications.filter((a) => a.name.toLowerCase().includes(needle) || chosen.includes(a.id)) : applications;
  const toggle = (id: string, on: boolean) => onChange(on ? [...chosen, id] : chosen.filter((x) => x !== id));
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800">Applications</legend>
      <p id="applications-hint" className="text-xs text-slate-600">
        {anyAllowed ? "Choose none to review every application." : "Choose which of your applications to review."} {chosen.length} chosen.
      </p>
      {applications.length > 8 ? (
        <label className="mt-1 block text-sm">
          Filter applications
          <input value={filter} onChange={(e) => setFilter(e.target.value)} className="ml-2 min-h-8 rounded border border-slate-400 px-2 py-1 text-sm" />
        </label>
      ) : null}
      <div className="mt-1 grid max-h-64 gap-1 overflow-y-auto rounded border border-slate-200 p-2 sm:grid-cols-2" aria-describedby="applications-hint applications-error">
        {shown.map((a) => (
          <label key={a.id} className="inline-flex min-h-6 items-center gap-2 text-sm">
            <input type="checkbox" checked={chosen.includes(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} />
            {a.name}
            {a.privilegedEntitlements > 0 ? (
              <span className="text-xs text-slate-600">
                · {a.privilegedEntitlements} privileged entitlement{a.privilegedEntitlements === 1 ? "" : "s"}
              </span>
            ) : null}
          </label>
        ))}
        {shown.length === 0 ? <p className="text-sm text-slate-600">No application matches.</p> : null}
      </div>
      <Errors id="applications-error" messages={errors} />
    </fieldset>
  );
}
