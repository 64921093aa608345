"use client";

import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { attest, retry, revokeNow } from "../actions";

/** Sends a failed revocation through the pipeline again. */
export function RetryRevocation({ revocationId, label }: { revocationId: string; label: string }) {
  return (
    <ActionForm action={retry} successMessage="Queued again; this page shows its progress.">
      <input type="hidden" name="revocationId" value={revocationId} />
      <button type="submit" className={secondaryButtonClass}>
        {label}
      </button>
    </ActionForm>
  );
}

/** Manual connector: the owner confirms the removal with a note (an attestation, shown as such). */
export function AttestRevocation({ revocationId, label }: { revocationId: string; label: string }) {
  return (
    <ActionForm action={attest} successMessage="Confirmed: recorded as your attestation." className="grid max-w-md gap-2">
      <input type="hidden" name="revocationId" value={revocationId} />
      <label className="block text-sm font-medium text-slate-800">
        What did you do? (required)
        <textarea
          name="note"
          required
          minLength={5}
          rows={2}
          className="mt-1 block w-full rounded border border-slate-400 px-2 py-1 text-sm"
          placeholder="Removed in the admin console, ticket OPS-123"
        />
      </label>
      <div>
        <button type="submit" className={buttonClass}>
          {label}
        </button>
      </div>
    </ActionForm>
  );
}

/** Admins and app owners remove a live grant now; it then goes through the connector to verified. */
export function RevokeGrant({ grantId, label }: { grantId: string; label: string }) {
  return (
    <ActionForm action={revokeNow} successMessage="Revocation requested; it is tracked below until the target confirms it." className="grid max-w-md gap-2">
      <input type="hidden" name="grantId" value={grantId} />
      <label className="block text-sm font-medium text-slate-800">
        Reason (required, kept in the audit trail)
        <textarea name="reason" required minLength={5} rows={2} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1 text-sm" placeholder="Offboarding ticket HR-482" />
      </label>
      <div>
        <button type="submit" className={buttonClass}>
          {label}
        </button>
      </div>
    </ActionForm>
  );
}
