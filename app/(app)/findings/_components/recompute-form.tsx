import { ActionForm } from "@/components/ui/action-form";
import { secondaryButtonClass } from "@/components/ui/field";
import { recomputeNow } from "../actions";

/** Admins only (the action checks again): runs the same recompute as the hourly job, now. */
export function RecomputeForm() {
  return (
    <ActionForm action={recomputeNow} successMessage="Findings recomputed; the list below is up to date.">
      <button type="submit" className={secondaryButtonClass}>
        Recompute now
      </button>
    </ActionForm>
  );
}
