"use client";

import { useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, TextField } from "@/components/ui/field";
import { WEBHOOK_EVENT_TYPES } from "@/lib/domain/webhooks/events";
import { subscribe } from "../actions";

export function SubscribeForm() {
  const [events, setEvents] = useState<string[]>([]);
  return (
    <ActionForm
      action={subscribe}
      successMessage="Subscribed."
      renderSuccess={(data) => (
        <span className="mt-2 block rounded border border-amber-400 bg-amber-50 p-3 text-slate-900">
          Signing secret (shown once; configure your receiver with it):
          <code className="mt-1 block break-all font-mono text-sm">{data.secret}</code>
        </span>
      )}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
    >
      <TextField label="Name" name="name" placeholder="SIEM" />
      <TextField label="Receiver URL (https)" name="url" placeholder="https://siem.example.com/accord" />
      <fieldset className="md:col-span-2">
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type} className="mr-4 inline-flex min-h-6 items-center gap-2 font-mono text-sm">
            <input type="checkbox" checked={events.includes(type)} onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((t) => t !== type))} />
            {type}
          </label>
        ))}
        <input type="hidden" name="events" value={events.join(",")} />
      </fieldset>
      <div>
        <button type="submit" className={buttonClass}>
          Subscribe
        </button>
      </div>
    </ActionForm>
  );
}
