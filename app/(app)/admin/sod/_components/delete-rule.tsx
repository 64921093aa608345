"use client";

import { useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { useHydrated } from "@/components/ui/use-hydrated";
import { deleteRule } from "../actions";

/** Deleting a rule asks first and says what happens to the findings it raised. */
export function DeleteRule({ ruleId, name, violators }: { ruleId: string; name: string; violators: number }) {
  const [confirming, setConfirming] = useState(false);
  const hydrated = useHydrated();
  if (!confirming) {
    return (
      <button type="button" className={secondaryButtonClass} disabled={!hydrated} onClick={() => setConfirming(true)} aria-label={`Delete ${name}…`}>
        Delete…
      </button>
    );
  }
  const people = `${violators.toLocaleString("en")} ${violators === 1 ? "person breaks" : "people break"} it now`;
  return (
    <div role="group" aria-label={`Confirm deleting ${name}`} className="rounded border border-amber-400 bg-amber-50 p-2 text-sm">
      <p>
        Delete “{name}”? {people}; their open findings resolve when the findings are recomputed, moments after. The audit trail keeps the rule as it was.
      </p>
      <ActionForm action={deleteRule} successMessage="Deleted." className="mt-2 flex flex-wrap items-start gap-2">
        <input type="hidden" name="ruleId" value={ruleId} />
        <button type="submit" className={buttonClass}>
          Yes, delete {name}
        </button>
        <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </ActionForm>
    </div>
  );
}
