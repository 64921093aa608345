import { ActionForm } from "@/components/ui/action-form";
import { buttonClass, SelectField, TextField } from "@/components/ui/field";
import { changeIdentityStatus, changePlatformRole } from "../actions";

/** Rendered only for admins; the actions check again, since hiding a form is not a permission check. */
export function AdminControls({ identityId, status, roles, isHuman }: { identityId: string; status: string; roles: string[]; isHuman: boolean }) {
  return (
    <div className="grid gap-4 rounded-lg border border-amber-300 bg-amber-50 p-4 md:grid-cols-2">
      <ActionForm action={changeIdentityStatus} successMessage="Status changed. Their sessions have ended if they can no longer sign in.">
        <h3 className="mb-2 font-semibold">Change status</h3>
        <input type="hidden" name="identityId" value={identityId} />
        <SelectField
          label="New status"
          name="status"
          value={status}
          options={[
            ["active", "Active"],
            ["suspended", "Suspended (signs them out now)"],
            ["leaver", "Leaver"],
          ]}
        />
        <div className="mt-2">
          <TextField label="Reason (recorded in the audit trail)" name="reason" />
        </div>
        <button type="submit" className={`${buttonClass} mt-3`}>
          Change status
        </button>
      </ActionForm>
      {isHuman ? (
        <ActionForm action={changePlatformRole} successMessage="Role updated.">
          <h3 className="mb-2 font-semibold">Platform role</h3>
          <input type="hidden" name="identityId" value={identityId} />
          <SelectField
            label="Role"
            name="role"
            options={[
              ["auditor", "Auditor (read-only)"],
              ["admin", "Admin"],
            ]}
          />
          <SelectField
            label="Change"
            name="assigned"
            options={[
              ["true", "Give this role"],
              ["false", "Remove this role"],
            ]}
          />
          <p className="mt-1 text-sm text-slate-700">Current roles: {roles.length ? roles.join(", ") : "none"}</p>
          <button type="submit" className={`${buttonClass} mt-3`}>
            Update role
          </button>
        </ActionForm>
      ) : null}
    </div>
  );
}
