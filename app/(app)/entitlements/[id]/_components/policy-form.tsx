import { ActionForm } from "@/components/ui/action-form";
import { buttonClass } from "@/components/ui/field";
import type { ChosenPerson } from "@/components/people/person-picker";
import { saveEntitlementPolicy } from "../actions";
import { NamedApproversField } from "./named-approvers-field";

interface Policy {
  id: string;
  name: string;
  allowedKinds: string[];
  maxDurationMinutes: number | null;
  requiresTicket: boolean;
  approvalChain: string[];
  twoPersonRule: boolean;
  breakGlass: boolean;
  namedApprovers: ChosenPerson[];
}

function Check({ name, label, checked, hint }: { name: string; label: string; checked: boolean; hint?: string }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" name={name} defaultChecked={checked} className="mt-0.5 h-4 w-4" />
      <span>
        {label}
        {hint ? <span className="block text-slate-600">{hint}</span> : null}
      </span>
    </label>
  );
}

/** The request policy, edited by the entitlement's owners or an admin; every change is audited. */
export function PolicyForm({ policy }: { policy: Policy }) {
  return (
    <ActionForm action={saveEntitlementPolicy} successMessage="Policy saved. New requests and activations follow it." className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <input type="hidden" name="entitlementId" value={policy.id} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-semibold">Kinds of access people may request</legend>
        <Check name="kindTimeBound" label="Time-bound" checked={policy.allowedKinds.includes("time_bound")} hint="Live until an end date, then revoked." />
        <Check name="kindEligible" label="Just-in-time (eligible)" checked={policy.allowedKinds.includes("eligible")} hint="Live only inside windows the holder activates." />
        <Check name="kindStanding" label="Standing" checked={policy.allowedKinds.includes("standing")} hint="Always on. Counts as standing privilege when privileged." />
      </fieldset>
      <label className="block text-sm font-semibold">
        Maximum duration, in hours (time-bound grants, and each JIT window; empty: no limit for time-bound, 8 hours per window)
        <input
          name="maxDurationHours"
          type="number"
          min="0"
          step="any"
          defaultValue={policy.maxDurationMinutes === null ? "" : String(policy.maxDurationMinutes / 60)}
          className="mt-1 block min-h-9 w-32 rounded border border-slate-400 bg-white px-2 py-1 text-sm font-normal"
        />
      </label>
      <fieldset className="space-y-1">
        <legend className="text-sm font-semibold">Approvers, in this order</legend>
        <Check name="chainManager" label="The requester's manager" checked={policy.approvalChain.includes("manager")} />
        <Check name="chainAppOwner" label="An owner of the application" checked={policy.approvalChain.includes("app_owner")} />
        <Check
          name="chainEntitlementOwner"
          label="The entitlement's owner"
          checked={policy.approvalChain.includes("entitlement_owner")}
          hint="Always asked for privileged entitlements that have an owner."
        />
        <Check name="chainNamed" label="A named approver" checked={policy.approvalChain.includes("named")} hint="One of the people you name below." />
        <NamedApproversField entitlementId={policy.id} initial={policy.namedApprovers} />
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="text-sm font-semibold">Rules</legend>
        <Check name="requiresTicket" label="A ticket reference is required" checked={policy.requiresTicket} />
        <Check name="twoPersonRule" label="Two different people must approve (privileged entitlements)" checked={policy.twoPersonRule} />
        <Check
          name="breakGlass"
          label="Break-glass"
          checked={policy.breakGlass}
          hint="Held as eligible by the few allowed to break the glass; activated without approval with an incident reference, pages the owners, reviewed within 24 hours."
        />
      </fieldset>
      <button type="submit" className={buttonClass}>
        Save the policy of {policy.name}
      </button>
    </ActionForm>
  );
}
