"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { secondaryButtonClass } from "@/components/ui/field";
import { PrivilegeBadges } from "@/components/inventory/grant-badges";
import { FieldError } from "@/components/requests/request-form";
import { findEntitlements } from "../actions";

export interface PickedEntitlement {
  id: string;
  name: string;
  applicationName: string;
  privileged: boolean;
}

const labelOf = (e: PickedEntitlement) => `${e.name} (${e.applicationName})`;

/**
 * Chooses entitlements by searching their name or their application's; what is chosen is
 * listed with a Remove button each and posted as `name` (comma-separated ids).
 */
export function EntitlementPicker({ name, chosen, onChange, errors }: { name: string; chosen: PickedEntitlement[]; onChange: (chosen: PickedEntitlement[]) => void; errors?: string[] }) {
  const id = useId();
  const [q, setQ] = useState("");
  const search = useMutation({
    mutationFn: async (text: string) => {
      const result = await findEntitlements({ q: text });
      if (!result.ok) throw new Error(result.fieldErrors?.q?.[0] ?? result.message);
      return { ...result.data, q: text };
    },
  });
  const find = () => search.mutate(q.trim());
  const chosenIds = new Set(chosen.map((e) => e.id));
  const found = search.data;
  return (
    <fieldset className="space-y-2" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">Entitlements (two or more; nobody may hold more than one of them)</legend>
      {chosen.length === 0 ? (
        <p className="text-sm text-slate-600">None chosen yet.</p>
      ) : (
        <ul className="flex flex-wrap gap-2" aria-label="Chosen entitlements">
          {chosen.map((e) => (
            <li key={e.id} className="inline-flex items-center gap-2 rounded border border-slate-300 bg-slate-50 px-2 py-1 text-sm">
              <span>
                <strong>{e.name}</strong> <span className="text-slate-700">in {e.applicationName}</span> <PrivilegeBadges privileged={e.privileged} />
              </span>
              <button type="button" className="min-h-6 text-blue-800 underline" onClick={() => onChange(chosen.filter((x) => x.id !== e.id))} aria-label={`Remove ${labelOf(e)}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <input type="hidden" name={name} value={chosen.map((e) => e.id).join(",")} />
      <div className="flex flex-wrap items-end gap-2">
        <label htmlFor={`${id}-q`} className="block text-sm font-medium text-slate-800">
          Find an entitlement
          <input
            id={`${id}-q`}
            type="search"
            value={q}
            placeholder="AP approver, NetSuite"
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              // Enter searches instead of submitting the rule half-made.
              if (e.key === "Enter") {
                e.preventDefault();
                find();
              }
            }}
            className="mt-1 block min-h-9 w-72 rounded border border-slate-400 bg-white px-2 py-1 text-sm"
          />
        </label>
        <button type="button" className={secondaryButtonClass} onClick={find} disabled={search.isPending}>
          {search.isPending ? "Searching…" : "Search"}
        </button>
      </div>
      <p aria-live="polite" className="text-sm">
        {search.isError ? <span className="text-red-800">{search.error.message}</span> : null}
        {found
          ? found.matches.length === 0
            ? `No entitlement matches “${found.q}”.`
            : `${found.matches.length} match${found.matches.length === 1 ? "" : "es"} for “${found.q}”${found.more ? "; only the first are shown, type more to narrow" : ""}.`
          : null}
      </p>
      {found && found.matches.length > 0 ? (
        <ul className="max-h-64 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 bg-white" aria-label="Matching entitlements">
          {found.matches.map((e) => (
            <li key={e.id} className="flex items-center justify-between gap-3 px-2 py-1 text-sm">
              <span>
                {e.name} <span className="text-slate-700">in {e.applicationName}</span> <PrivilegeBadges privileged={e.privileged} />
              </span>
              {chosenIds.has(e.id) ? (
                <span className="text-slate-600">Chosen</span>
              ) : (
                <button type="button" className={secondaryButtonClass} onClick={() => onChange([...chosen, e])} aria-label={`Add ${labelOf(e)}`}>
                  Add
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <FieldError id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}
