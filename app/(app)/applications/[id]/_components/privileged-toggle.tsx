import { ActionForm } from "@/components/ui/action-form";
import { secondaryButtonClass } from "@/components/ui/field";
import { markEntitlementPrivileged } from "../actions";

export function PrivilegedToggle({ entitlementId, name, privileged }: { entitlementId: string; name: string; privileged: boolean }) {
  return (
    <ActionForm action={markEntitlementPrivileged} successMessage={`${name} updated.`}>
      <input type="hidden" name="entitlementId" value={entitlementId} />
      <input type="hidden" name="privileged" value={privileged ? "false" : "true"} />
      <button type="submit" className={secondaryButtonClass}>
        {privileged ? `Mark ${name} not privileged` : `Mark ${name} privileged`}
      </button>
    </ActionForm>
  );
}
