"use client";

import { useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { useHydrated } from "@/components/ui/use-hydrated";
import { closeCampaignNow, extendCampaignDue, launchCampaignNow } from "../../actions";

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

export function LaunchControl({ campaignId, inScope }: { campaignId: string; inScope: number | null }) {
  const hydrated = useHydrated();
  return (
    <ActionForm action={launchCampaignNow} successMessage="Launching: the items are being snapshotted.">
      <input type="hidden" name="campaignId" value={campaignId} />
      <button type="submit" className={buttonClass} disabled={!hydrated}>
        Launch{inScope !== null ? ` (${inScope.toLocaleString("en")} item${inScope === 1 ? "" : "s"})` : ""}
      </button>
    </ActionForm>
  );
}

/**
 * Closing applies the campaign's policy to what nobody decided, so it asks first and says
 * exactly what will happen.
 */
export function CloseControl({ campaignId, pending, closePolicy, removalsAtClose }: { campaignId: string; pending: number; closePolicy: string; removalsAtClose: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const hydrated = useHydrated();
  if (!confirming) {
    return (
      <button type="button" className={secondaryButtonClass} disabled={!hydrated} onClick={() => setConfirming(true)}>
        Close campaign…
      </button>
    );
  }
  const undecided = `${pending.toLocaleString("en")} undecided item${pending === 1 ? "" : "s"}`;
  const effect = closePolicy === "revoke" ? `${undecided} will be revoked.` : `${undecided} keep their access and are flagged as due for review.`;
  return (
    <div role="group" aria-label="Confirm closing" className="rounded border border-amber-400 bg-amber-50 p-3 text-sm">
      <p>
        Close now? {effect} {removalsAtClose ? "Revocations and reductions reviewers decided take effect now." : null} Decisions can no longer be changed.
      </p>
      <ActionForm action={closeCampaignNow} successMessage="Closed." className="mt-2 flex flex-wrap items-start gap-2">
        <input type="hidden" name="campaignId" value={campaignId} />
        <button type="submit" className={buttonClass}>
          Yes, close the campaign
        </button>
        <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </ActionForm>
    </div>
  );
}

export function ExtendControl({ campaignId, dueAt }: { campaignId: string; dueAt: Date }) {
  const [days, setDays] = useState("7");
  const [confirming, setConfirming] = useState(false);
  const hydrated = useHydrated();
  const n = Number(days);
  const valid = Number.isInteger(n) && n >= 1 && n <= 90;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <label className="text-sm font-medium text-slate-800">
        Extend by (days)
        <input
          type="number"
          min={1}
          max={90}
          value={days}
          onChange={(e) => {
            setDays(e.target.value);
            setConfirming(false);
          }}
          className="ml-2 min-h-9 w-20 rounded border border-slate-400 px-2 py-1 text-sm"
        />
      </label>
      {!confirming ? (
        <button type="button" className={secondaryButtonClass} disabled={!valid || !hydrated} onClick={() => setConfirming(true)}>
          Extend…
        </button>
      ) : (
        <div role="group" aria-label="Confirm extension" className="rounded border border-amber-400 bg-amber-50 p-2 text-sm">
          <p>
            Move the due date from {day(dueAt)} to {day(new Date(dueAt.getTime() + n * DAY))}? The due dates of open items move with it.
          </p>
          <ActionForm action={extendCampaignDue} successMessage="Extended." className="mt-2 flex flex-wrap items-start gap-2">
            <input type="hidden" name="campaignId" value={campaignId} />
            <input type="hidden" name="days" value={days} />
            <button type="submit" className={buttonClass}>
              Yes, extend by {n} day{n === 1 ? "" : "s"}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </ActionForm>
        </div>
      )}
    </div>
  );
}
