"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { campaignQueryKeys } from "@/components/campaigns/query-keys";
import { readLaunchProgress } from "../../actions";

/**
 * While the launch job snapshots items slice by slice, polls the committed item count; when
 * the campaign turns active the server page re-renders with its overview.
 */
export function LaunchProgress({ campaignId, itemCount, expected }: { campaignId: string; itemCount: number; expected: number | null }) {
  const router = useRouter();
  const { data, isError } = useQuery({
    queryKey: campaignQueryKeys.launch(campaignId),
    queryFn: async () => {
      const result = await readLaunchProgress({ campaignId });
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
    initialData: { status: "launching", itemCount },
    initialDataUpdatedAt: 0,
    refetchInterval: (query) => (query.state.data?.status === "launching" ? 1_000 : false),
    retry: 3,
  });
  const done = data.status !== "launching";
  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);
  const total = Math.max(expected ?? 0, data.itemCount);
  return (
    <div className="mt-2 rounded-lg border border-blue-200 bg-blue-50 p-4">
      <progress className="h-3 w-full max-w-md" max={total || 1} value={done ? total : data.itemCount} aria-label="Launch progress" />
      <p role="status" aria-live="polite" className="mt-1 text-sm">
        {done
          ? "Launched. Loading the overview…"
          : `Snapshotted ${data.itemCount.toLocaleString("en")}${expected !== null ? ` of about ${expected.toLocaleString("en")}` : ""} items with their evidence…`}
        {isError ? " (Progress could not be read; retrying.)" : null}
      </p>
    </div>
  );
}
