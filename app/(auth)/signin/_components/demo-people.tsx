"use client";

import { useActionState } from "react";
import { signInAsDemoPerson } from "../actions";

export interface DemoPersonView {
  email: string;
  label: string;
  role: string;
  name: string;
}

export function DemoPeople({ people }: { people: DemoPersonView[] }) {
  const [state, action, pending] = useActionState(signInAsDemoPerson, undefined);
  return (
    <div>
      {state?.error ? (
        <p role="alert" className="mb-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900">
          {state.error}
        </p>
      ) : null}
      <ul className="grid gap-2">
        {people.map((p) => (
          <li key={p.email}>
            <form action={action}>
              <input type="hidden" name="email" value={p.email} />
              <button
                type="submit"
                disabled={pending}
                className="flex min-h-11 w-full items-center justify-between rounded border border-slate-300 bg-white px-3 py-2 text-left hover:bg-slate-100 disabled:opacity-60"
              >
                <span>
                  <span className="block font-medium">Sign in as {p.name}</span>
                  <span className="block text-sm text-slate-700">{p.label}</span>
                </span>
                <span className="text-sm text-slate-700">{p.role}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
    </div>
  );
}
