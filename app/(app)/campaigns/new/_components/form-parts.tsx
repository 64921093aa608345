"use client";

import { useId } from "react";

export const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";

export function Fieldset({ legend, description, children }: { legend: string; description?: string; children: React.ReactNode }) {
  return (
    <fieldset className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-base font-semibold">{legend}</legend>
      {description ? <p className="-mt-1 text-sm text-slate-700">{description}</p> : null}
      {children}
    </fieldset>
  );
}

/** A field's own errors, next to it and announced. */
export function Errors({ id, messages }: { id: string; messages: string[] }) {
  return (
    <p id={id} role={messages.length ? "alert" : undefined} className="text-sm text-red-800 empty:hidden">
      {messages.join(" ")}
    </p>
  );
}

export function Select({ label, value, onChange, options, errors }: { label: string; value: string; onChange: (value: string) => void; options: [string, string][]; errors: string[] }) {
  const id = useId();
  return (
    <div>
      <label className="block text-sm font-medium text-slate-800">
        {label}
        <select value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={errors.length > 0} aria-describedby={`${id}-error`} className={control}>
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </label>
      <Errors id={`${id}-error`} messages={errors} />
    </div>
  );
}

export function NumberInput({ label, value, onChange, errors }: { label: string; value: string; onChange: (value: string) => void; errors: string[] }) {
  const id = useId();
  return (
    <div>
      <label className="block text-sm font-medium text-slate-800">
        {label}
        <input type="number" inputMode="numeric" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={errors.length > 0} aria-describedby={`${id}-error`} className={control} />
      </label>
      <Errors id={`${id}-error`} messages={errors} />
    </div>
  );
}
