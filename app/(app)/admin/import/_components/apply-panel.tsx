"use client";

import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import type { ActionResult } from "@/lib/actions/define-action";
import { buttonClass } from "@/components/ui/field";
import { importQueryKeys } from "@/components/import/query-keys";
import { applyImport } from "../actions";

interface Progress {
  status: string;
  processedRows: number;
  totalRows: number | null;
}

const RUNNING = new Set(["applying"]);

/** Polls the batch while it applies; when it is done, the server page re-renders with the result. */
function ProgressReport({ batchId, totalRows }: { batchId: string; totalRows: number }) {
  const router = useRouter();
  const { data, isError } = useQuery({
    queryKey: importQueryKeys.progress(batchId),
    queryFn: async (): Promise<Progress> => {
      const response = await fetch(`/api/v1/import/batches/${batchId}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`progress: ${response.status}`);
      return (await response.json()) as Progress;
    },
    refetchInterval: (query) => (query.state.data && !RUNNING.has(query.state.data.status) ? false : 500),
  });
  const done = data && !RUNNING.has(data.status);
  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);
  const processed = data?.processedRows ?? 0;
  const total = data?.totalRows ?? totalRows;
  const text = done
    ? "Finished. Loading the result…"
    : processed >= total
      ? `Checked all ${total.toLocaleString("en")} rows; writing the changes in one transaction…`
      : `Checked ${processed.toLocaleString("en")} of ${total.toLocaleString("en")} rows…`;
  return (
    <div className="mt-3">
      <progress className="h-3 w-full max-w-md" max={total || 1} value={done ? total : processed} aria-label="Import progress" />
      <p aria-live="polite" role="status" className="mt-1 text-sm">
        {text}
        {isError ? " (Progress could not be read; retrying.)" : null}
      </p>
    </div>
  );
}

export function ApplyPanel({ batchId, totalRows, status }: { batchId: string; totalRows: number; status: string }) {
  const [client] = useState(() => new QueryClient());
  const [state, formAction, pending] = useActionState(async (_: ActionResult<{ batchId: string }> | null, formData: FormData) => applyImport(formData), null);
  const running = status === "applying" || state?.ok === true;
  return (
    <QueryClientProvider client={client}>
      {running ? (
        <ProgressReport batchId={batchId} totalRows={totalRows} />
      ) : (
        <form action={formAction} aria-busy={pending}>
          <input type="hidden" name="batchId" value={batchId} />
          <button type="submit" className={buttonClass} disabled={pending}>
            Import {totalRows.toLocaleString("en")} rows
          </button>
          <p aria-live="polite" className="mt-2 text-sm">
            {state && !state.ok ? (
              <span role="alert" className="text-red-800">
                {state.message}
              </span>
            ) : null}
          </p>
        </form>
      )}
    </QueryClientProvider>
  );
}
