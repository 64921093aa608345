"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/ui/field";

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";
const label = "block text-sm font-medium text-slate-800";

type State = { phase: "idle" } | { phase: "uploading" } | { phase: "error"; message: string };

/**
 * Uploads through a route handler (a server action's body is capped at 1 MB), then opens the
 * batch page with the preview. Nothing is imported until the admin confirms there.
 */
export function UploadForm({ applications, maxMegabytes }: { applications: { id: string; name: string }[]; maxMegabytes: number }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ phase: "idle" });
  const [kind, setKind] = useState("");

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (file instanceof File && file.size > maxMegabytes * 2 ** 20) {
      setState({ phase: "error", message: `The file is over ${maxMegabytes} MB, the import limit. Split it into several files.` });
      return;
    }
    setState({ phase: "uploading" });
    try {
      const response = await fetch("/api/v1/import/batches", { method: "POST", body: form });
      const body = (await response.json()) as { batchId?: string; message?: string; fieldErrors?: Record<string, string[]> };
      if (!response.ok || !body.batchId) {
        const details = body.fieldErrors
          ? Object.entries(body.fieldErrors)
              .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
              .join("; ")
          : "";
        setState({ phase: "error", message: `${body.message ?? "The upload failed."} ${details}`.trim() });
        return;
      }
      router.push(`/admin/import/${body.batchId}`);
    } catch {
      setState({ phase: "error", message: "The upload did not reach Accord. Nothing was imported; try again." });
    }
  }

  const busy = state.phase === "uploading";
  return (
    // submit catches its own failures and shows them, so nothing is left to await here.
    <form onSubmit={(event) => void submit(event)} aria-busy={busy} className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-4">
      <fieldset disabled={busy} className="contents">
        <label className={label}>
          What the file holds
          <select name="kind" required value={kind} onChange={(e) => setKind(e.target.value)} className={control}>
            <option value="" disabled>
              Choose…
            </option>
            <option value="identities">Identities (people and non-human)</option>
            <option value="applications">Applications</option>
            <option value="accounts">Accounts</option>
            <option value="entitlements">Entitlements</option>
            <option value="grants">Grants</option>
          </select>
        </label>
        <label className={label}>
          Format
          <select name="format" defaultValue="" className={control}>
            <option value="">From the file name (.csv or .json)</option>
            <option value="csv">CSV (comma-separated, UTF-8)</option>
            <option value="json">JSON (array of objects, or one per line)</option>
          </select>
        </label>
        <label className={label}>
          Snapshot of an application (grants only)
          <select name="snapshotApplicationId" defaultValue="" disabled={kind !== "grants"} className={control} aria-describedby="snapshot-help">
            <option value="">Not a snapshot</option>
            {applications.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          <span id="snapshot-help" className="mt-1 block text-xs font-normal text-slate-700">
            {kind === "grants" ? "The file lists everything the application holds now: its live grants missing from the file are marked absent." : "Choose Grants to import a snapshot."}
          </span>
        </label>
        <label className={label}>
          File (up to {maxMegabytes} MB)
          <input name="file" type="file" required accept=".csv,.json,.jsonl,.ndjson,text/csv,application/json" className={control} />
        </label>
        <div className="md:col-span-4">
          <button type="submit" className={buttonClass}>
            {busy ? "Checking the file…" : "Check file"}
          </button>
          <span className="ml-3 text-sm text-slate-700">Checking imports nothing: you see what would change first.</span>
        </div>
      </fieldset>
      <p aria-live="polite" className="text-sm md:col-span-4">
        {busy ? "Uploading and checking every row…" : null}
        {state.phase === "error" ? (
          <span role="alert" className="text-red-800">
            {state.message}
          </span>
        ) : null}
      </p>
    </form>
  );
}
