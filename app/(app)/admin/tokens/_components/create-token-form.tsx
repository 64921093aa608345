"use client";

import { useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, TextField } from "@/components/ui/field";
import { createToken } from "../actions";

const SCOPES: [string, string][] = [
  ["scim", "scim: provision users and groups for one source"],
  ["events:write", "events:write: send evidence (sessions, sign-ins)"],
  ["evidence:read", "evidence:read: read grants and evidence through the API"],
  ["admin", "admin: administrative API"],
];

export function CreateTokenForm() {
  const [scopes, setScopes] = useState<string[]>([]);
  return (
    <ActionForm
      action={createToken}
      successMessage="Token created."
      renderSuccess={(data) => (
        <span className="mt-2 block rounded border border-amber-400 bg-amber-50 p-3 text-slate-900">
          Copy it now; Accord keeps only its hash and cannot show it again:
          <code className="mt-1 block break-all font-mono text-sm" aria-label="New API token">
            {data.secret}
          </code>
        </span>
      )}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
    >
      <TextField label="Name" name="name" placeholder="Okta production" />
      <TextField label="Source (for scim and events:write)" name="source" placeholder="okta-prod" />
      <fieldset className="md:col-span-2">
        <legend className="text-sm font-medium text-slate-800">Scopes</legend>
        {SCOPES.map(([value, label]) => (
          <label key={value} className="mr-4 inline-flex min-h-6 items-center gap-2 text-sm">
            <input type="checkbox" checked={scopes.includes(value)} onChange={(e) => setScopes(e.target.checked ? [...scopes, value] : scopes.filter((s) => s !== value))} />
            {label}
          </label>
        ))}
        <input type="hidden" name="scopes" value={scopes.join(",")} />
      </fieldset>
      <TextField label="Expires after (days, optional)" name="expiresInDays" type="number" />
      <div className="flex items-end">
        <button type="submit" className={buttonClass}>
          Create token
        </button>
      </div>
    </ActionForm>
  );
}
