"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { secondaryButtonClass } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/define-action";

export interface ChosenPerson {
  id: string;
  name: string;
  email: string | null;
  title: string | null;
  reports?: number;
  /** Shown when not active: someone chosen earlier may have left since. */
  status?: "active" | "suspended" | "leaver";
}

/**
 * Names a person by their email address (exact, case-insensitive), shows who it found, and
 * keeps their id. Nobody can browse the directory through it: `lookUp` is a server action that
 * checks who is asking and answers only for an exact address.
 */
export function PersonPicker({
  label,
  hint,
  people,
  onChange,
  lookUp,
  multiple = false,
  error,
}: {
  label: string;
  hint?: string;
  people: ChosenPerson[];
  onChange: (people: ChosenPerson[]) => void;
  lookUp: (email: string) => Promise<ActionResult<ChosenPerson>>;
  multiple?: boolean;
  error?: string[];
}) {
  const id = useId();
  const [email, setEmail] = useState("");
  const finding = useMutation({
    mutationFn: async (address: string) => {
      const result = await lookUp(address);
      if (!result.ok) throw new Error(result.fieldErrors?.email?.[0] ?? result.message);
      return result.data;
    },
    onSuccess: (person) => {
      setEmail("");
      if (people.some((p) => p.id === person.id)) return;
      onChange(multiple ? [...people, person] : [person]);
    },
  });
  const find = () => {
    if (email.trim()) finding.mutate(email.trim());
  };
  const describedBy = [hint ? `${id}-hint` : null, error?.length || finding.isError ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={`${id}-email`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {people.length > 0 ? (
        <ul className="mt-1 flex flex-wrap gap-2" aria-label={`${label}: chosen`}>
          {people.map((p) => (
            <li key={p.id} className="inline-flex items-center gap-2 rounded border border-slate-300 bg-slate-50 px-2 py-1 text-sm">
              <span>
                <strong>{p.name}</strong>
                {p.title ? <span className="text-slate-600"> · {p.title}</span> : null}
                {p.email ? <span className="text-slate-600"> · {p.email}</span> : null}
                {p.status && p.status !== "active" ? <span className="font-medium text-red-800"> · {p.status === "leaver" ? "has left" : "suspended"}</span> : null}
              </span>
              <button type="button" className="text-blue-800 underline" onClick={() => onChange(people.filter((x) => x.id !== p.id))} aria-label={`Remove ${p.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {multiple || people.length === 0 ? (
        <div className="mt-1 flex gap-2">
          <input
            id={`${id}-email`}
            type="email"
            value={email}
            placeholder="name@company.example"
            aria-describedby={describedBy}
            aria-invalid={Boolean(error?.length) || finding.isError}
            onChange={(e) => setEmail(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                find();
              }
            }}
            className="block min-h-9 w-full max-w-sm rounded border border-slate-400 bg-white px-2 py-1 text-sm"
          />
          <button type="button" className={secondaryButtonClass} onClick={find} disabled={finding.isPending}>
            {finding.isPending ? "Finding…" : "Find"}
          </button>
        </div>
      ) : null}
      <p id={`${id}-error`} role={finding.isError || error?.length ? "alert" : undefined} className="mt-1 text-sm text-red-800">
        {finding.isError ? finding.error.message : error?.join(" ")}
      </p>
    </div>
  );
}
