"use client";

import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ActionResult } from "@/lib/actions/define-action";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { previewEvidenceExport, startEvidenceExport } from "../actions";

interface Status {
  status: "ready" | "streaming" | "completed" | "failed";
  rowsExpected: number;
  rowsWritten: number;
  bytesWritten: number;
  sha256: string | null;
  error: string | null;
}

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";
const label = "block text-sm font-medium text-slate-800";
const fmt = (n: number) => n.toLocaleString("en");

/** Polls the export while it streams: the browser's own download bar cannot know the total. */
function ExportProgress({ exportId }: { exportId: string }) {
  const router = useRouter();
  const { data, isError } = useQuery({
    queryKey: ["evidence-export", exportId],
    queryFn: async (): Promise<Status> => {
      const response = await fetch(`/api/evidence/exports/${exportId}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`status ${response.status}`);
      return (await response.json()) as Status;
    },
    refetchInterval: (query) => (query.state.data?.status === "completed" || query.state.data?.status === "failed" ? false : 1_000),
  });
  const done = data?.status === "completed" || data?.status === "failed";
  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);
  const total = Math.max(data?.rowsExpected ?? 0, 1);
  const written = data?.status === "completed" ? total : Math.min(data?.rowsWritten ?? 0, total);
  const text = !data
    ? "Starting the export…"
    : data.status === "completed"
      ? `Export complete: ${fmt(data.rowsWritten)} rows, ${fmt(data.bytesWritten)} bytes. SHA-256 ${data.sha256}.`
      : data.status === "failed"
        ? `Export failed: ${data.error ?? "unknown error"} Start a new export to try again.`
        : `Exported ${fmt(data.rowsWritten)} of ${fmt(data.rowsExpected)} rows (${Math.floor((100 * written) / total)}%)…`;
  return (
    <div className="mt-3">
      <progress className="h-3 w-full max-w-md" max={total} value={written} aria-label="Export progress" />
      <p role="status" aria-live="polite" className={`mt-1 text-sm break-all ${data?.status === "failed" ? "text-red-800" : ""}`}>
        {text}
        {isError ? " (Progress could not be read; retrying.)" : null}
      </p>
    </div>
  );
}

type Preview = { scopeText: string; rows: Record<string, number> };

function ExportForm({ campaigns, tables, checkpoints }: ExportPanelProps) {
  const [scope, setScope] = useState<"campaign" | "period">("campaign");
  const [format, setFormat] = useState<"bundle" | "csv" | "json">("bundle");
  const [pending, setPending] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [exportId, setExportId] = useState<string | null>(null);

  const failure = (result: ActionResult<unknown>) =>
    result.ok
      ? null
      : `${result.message}${
          result.fieldErrors
            ? ` ${Object.entries(result.fieldErrors)
                .map(([f, m]) => `${f}: ${m.join(", ")}`)
                .join("; ")}`
            : ""
        }`;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const intent = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? "export";
    const data = new FormData(event.currentTarget);
    setPending(true);
    setProblem(null);
    try {
      if (intent === "preview") {
        const result = await previewEvidenceExport(data);
        setPreview(result.ok ? result.data : null);
        setProblem(failure(result));
        return;
      }
      const result = await startEvidenceExport(data);
      if (!result.ok) return setProblem(failure(result));
      setExportId(result.data.exportId);
      // A plain link download: the browser streams the file to disk as it arrives.
      const link = document.createElement("a");
      link.href = result.data.downloadUrl;
      link.download = "";
      document.body.appendChild(link);
      link.click();
      link.remove();
    } catch {
      // The action never answered (network, server down): say so instead of resetting silently.
      setProblem("Accord did not answer. Nothing was exported; try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    // onSubmit catches its own failures and shows them, so nothing is left to await here.
    <form onSubmit={(event) => void onSubmit(event)} aria-busy={pending} className="max-w-3xl space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <fieldset className="flex gap-4 text-sm">
        <legend className="mb-1 font-medium text-slate-800">Export</legend>
        <label className="flex items-center gap-1">
          <input type="radio" name="scope" value="campaign" checked={scope === "campaign"} onChange={() => setScope("campaign")} /> A campaign
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="scope" value="period" checked={scope === "period"} onChange={() => setScope("period")} /> A period
        </label>
      </fieldset>
      {scope === "campaign" ? (
        <label className={label}>
          Campaign
          <select name="campaignId" className={control} defaultValue="">
            <option value="">Choose a campaign…</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.status}, {fmt(c.itemCount)} items)
              </option>
            ))}
          </select>
        </label>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <label className={label}>
            First day (UTC)
            <input type="date" name="from" className={control} />
          </label>
          <label className={label}>
            Last day (UTC)
            <input type="date" name="to" className={control} />
          </label>
        </div>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        <label className={label}>
          Format
          <select name="format" className={control} value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            <option value="bundle">Evidence bundle (zip: every table as CSV and JSON, signed manifest)</option>
            <option value="csv">One table as CSV</option>
            <option value="json">One table as JSON</option>
          </select>
        </label>
        {format !== "bundle" ? (
          <label className={label}>
            Table
            <select name="table" className={control} defaultValue="items">
              {tables.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <label className={label}>
        Reach the audit trail back to a checkpoint you hold (optional)
        <select name="sinceCheckpointId" className={control} defaultValue="">
          <option value="">No: start at the scope&apos;s first event</option>
          {checkpoints.map((c) => (
            <option key={c.id} value={c.id}>
              Checkpoint {c.id}: event {c.headId}, {c.issuedAt}
            </option>
          ))}
        </select>
      </label>
      <div className="flex gap-2">
        <button type="submit" name="intent" value="preview" className={secondaryButtonClass} disabled={pending}>
          Preview counts
        </button>
        <button type="submit" name="intent" value="export" className={buttonClass} disabled={pending}>
          Export and download
        </button>
      </div>
      <div aria-live="polite" className="text-sm">
        {problem ? (
          <p role="alert" className="text-red-800">
            {problem}
          </p>
        ) : null}
        {preview ? (
          <table className="mt-2 text-sm">
            <caption className="text-left font-medium">Rows in {preview.scopeText}</caption>
            <tbody>
              {Object.entries(preview.rows).map(([table, n]) => (
                <tr key={table}>
                  <th scope="row" className="pr-4 text-left font-normal">
                    {table}
                  </th>
                  <td className="text-right tabular-nums">{fmt(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      {exportId ? <ExportProgress key={exportId} exportId={exportId} /> : null}
    </form>
  );
}

export interface ExportPanelProps {
  campaigns: { id: string; name: string; status: string; itemCount: number }[];
  tables: readonly string[];
  checkpoints: { id: number; headId: number; issuedAt: string }[];
}

export function ExportPanel(props: ExportPanelProps) {
  const [client] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={client}>
      <ExportForm {...props} />
    </QueryClientProvider>
  );
}
