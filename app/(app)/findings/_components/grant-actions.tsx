import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { reduceFinding, reviewFinding, revokeFinding } from "../actions";

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";

export interface FindingGrant {
  id: string;
  status: string;
  kind: string;
  identityName: string;
  entitlement: string;
  application: string;
  may: { allowed: true } | { allowed: false; reason: string };
}

/**
 * What can be done about one live grant of a finding, each as a plain verb naming the access:
 * revoke it, reduce it to just-in-time (standing grants), or ask for a review. Shown only when
 * allowed; otherwise the reason is shown instead (the actions check again).
 */
export function GrantActions({ findingId, grant }: { findingId: string; grant: FindingGrant }) {
  const what = `${grant.entitlement} (${grant.application}) from ${grant.identityName}`;
  if (!grant.may.allowed) {
    return (
      <p className="text-sm text-slate-700">
        {what}: {grant.may.reason}
      </p>
    );
  }
  if (grant.status === "pending_revocation") {
    return <p className="text-sm text-slate-700">{what}: a revocation is already under way (see the grant for its state).</p>;
  }
  const hidden = (
    <>
      <input type="hidden" name="findingId" value={findingId} />
      <input type="hidden" name="grantId" value={grant.id} />
    </>
  );
  return (
    <div className="rounded border border-slate-200 p-3">
      <ActionForm action={revokeFinding} successMessage="Revocation requested; follow it on the grant until it is verified.">
        {hidden}
        <label className="block text-sm font-medium text-slate-800">
          Note for the audit trail (optional)
          <input name="note" maxLength={500} className={control} />
        </label>
        <button type="submit" className={`${buttonClass} mt-2`}>
          Revoke {what}
        </button>
      </ActionForm>
      <div className="mt-2 flex flex-wrap gap-2">
        {grant.kind === "standing" ? (
          <ActionForm action={reduceFinding} successMessage="Reduced: the standing grant is being revoked and a just-in-time one replaces it.">
            {hidden}
            <button type="submit" className={secondaryButtonClass}>
              Reduce to JIT
            </button>
          </ActionForm>
        ) : null}
        <ActionForm action={reviewFinding} successMessage="Review item opened; someone other than you and the holder will decide.">
          {hidden}
          <button type="submit" className={secondaryButtonClass}>
            Open a review item
          </button>
        </ActionForm>
      </div>
    </div>
  );
}
