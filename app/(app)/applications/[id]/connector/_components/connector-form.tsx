"use client";

import { useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, secondaryButtonClass, SelectField, TextField } from "@/components/ui/field";
import { checkConnector, saveConnector } from "../actions";

export interface ConnectorSettings {
  application: { id: string; name: string };
  kind: string;
  slaHours: number;
  hasSecret: boolean;
  baseUrl: string;
  action: string;
  groupMapping: string;
  url: string;
  statusUrl: string;
  instructions: string;
}

const area = "mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm";

export function ConnectorForm({ settings }: { settings: ConnectorSettings }) {
  const [kind, setKind] = useState(settings.kind);
  return (
    <div className="space-y-4">
      <ActionForm action={saveConnector} successMessage="Saved. New revocations use these settings." className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
        <input type="hidden" name="applicationId" value={settings.application.id} />
        <label className="block text-sm font-medium text-slate-800">
          Connector
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)} className="mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm">
            <option value="scim">SCIM 2.0 (remove from group or deactivate user)</option>
            <option value="webhook">Signed webhook</option>
            <option value="manual">Manual task for the app owners</option>
            <option value="none">None (treated as manual)</option>
          </select>
        </label>
        <TextField label="Revocation SLA (hours)" name="slaHours" type="number" value={String(settings.slaHours)} />
        {kind === "scim" ? (
          <>
            <TextField label="SCIM base URL" name="baseUrl" value={settings.baseUrl} placeholder="https://idp.example.com/scim/v2" />
            <SelectField
              label="Removal"
              name="action"
              value={settings.action}
              options={[
                ["remove_from_group", "Remove the user from the entitlement's group"],
                ["deactivate_user", "Deactivate the user (active = false)"],
              ]}
            />
            <label className="block text-sm font-medium text-slate-800 md:col-span-2">
              Group mapping: one &quot;entitlement name = SCIM group id&quot; per line (entitlements not listed use their external id)
              <textarea name="groupMapping" rows={4} defaultValue={settings.groupMapping} className={area} />
            </label>
          </>
        ) : null}
        {kind === "webhook" ? (
          <>
            <TextField label="Receiver URL" name="url" value={settings.url} placeholder="https://itsm.example.com/accord/revocations" />
            <TextField label="Status URL (optional; {revocationId} is replaced)" name="statusUrl" value={settings.statusUrl} placeholder="https://itsm.example.com/accord/revocations/{revocationId}" />
          </>
        ) : null}
        {kind === "manual" ? (
          <label className="block text-sm font-medium text-slate-800 md:col-span-2">
            Instructions for the owners (optional)
            <textarea name="instructions" rows={3} defaultValue={settings.instructions} className="mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm" />
          </label>
        ) : null}
        {kind === "scim" || kind === "webhook" ? (
          <TextField
            label={`${kind === "scim" ? "Bearer token" : "Signing secret"} (${settings.hasSecret ? "stored, encrypted; leave empty to keep it" : "required"})`}
            name="secret"
            type="password"
          />
        ) : null}
        <div className="md:col-span-2">
          <button type="submit" className={buttonClass}>
            Save the connector of {settings.application.name}
          </button>
        </div>
      </ActionForm>
      <ActionForm
        action={checkConnector}
        successMessage="Test finished:"
        renderSuccess={(result) => <span className={result.ok ? "ml-1 text-emerald-800" : "ml-1 text-red-800"}>{result.detail}</span>}
      >
        <input type="hidden" name="applicationId" value={settings.application.id} />
        <button type="submit" className={secondaryButtonClass}>
          Test the saved connection
        </button>
      </ActionForm>
    </div>
  );
}
