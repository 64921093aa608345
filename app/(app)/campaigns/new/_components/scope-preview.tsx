"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { CampaignScope } from "@/lib/domain/campaigns/campaign-scope";
import { campaignQueryKeys } from "@/components/campaigns/query-keys";
import { previewCampaignScope } from "../../actions";

/** The scope settles for a moment before it is counted, so typing does not fire a query per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * How many grants the scope selects now, counted by the server with the same SQL the launch
 * uses, and the scope in words. Keeps the last answer on screen while it recounts.
 */
export function ScopePreview({ scope }: { scope: CampaignScope }) {
  const settled = useSettled(scope, 300);
  const preview = useQuery({
    queryKey: campaignQueryKeys.preview(settled),
    queryFn: async () => {
      const result = await previewCampaignScope({ scope: settled });
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
    placeholderData: keepPreviousData,
    retry: false,
  });
  const stale = preview.isFetching || JSON.stringify(settled) !== JSON.stringify(scope);
  return (
    <section aria-labelledby="preview-heading" className="rounded-lg border border-blue-200 bg-blue-50 p-4">
      <h2 id="preview-heading" className="text-base font-semibold">
        Preview
      </h2>
      <div role="status" aria-live="polite" aria-busy={stale} className="mt-1 text-sm">
        {preview.isError ? (
          <p className="text-red-800">{preview.error.message}</p>
        ) : preview.data ? (
          <>
            <p>
              <strong className="text-lg" data-testid="preview-count">
                {preview.data.count.toLocaleString("en")}
              </strong>{" "}
              {preview.data.count === 1 ? "item" : "items"} would be reviewed if launched now.
            </p>
            <p className="text-slate-700">{preview.data.description}.</p>
            {preview.data.count === 0 ? <p className="mt-1 text-amber-900">This scope selects no active grants: launching it will be refused.</p> : null}
          </>
        ) : (
          <p className="text-slate-700">Counting…</p>
        )}
        {stale && preview.data ? <p className="text-xs text-slate-600">Recounting…</p> : null}
      </div>
    </section>
  );
}
