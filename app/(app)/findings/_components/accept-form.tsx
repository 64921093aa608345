import { ActionForm } from "@/components/ui/action-form";
import { buttonClass } from "@/components/ui/field";
import { acceptAsException } from "../actions";

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";

/** Accept the risk until a date, with a reason; the finding re-opens after that date if the condition is still there. */
export function AcceptForm({ findingId, min, max }: { findingId: string; min: string; max: string }) {
  return (
    <ActionForm action={acceptAsException} successMessage="Accepted as an exception. It re-opens after that date if the condition is still there.">
      <input type="hidden" name="findingId" value={findingId} />
      <div className="grid gap-3 sm:grid-cols-[12rem_1fr]">
        <label className="block text-sm font-medium text-slate-800">
          Exception ends on
          <input type="date" name="until" required min={min} max={max} className={control} />
        </label>
        <label className="block text-sm font-medium text-slate-800">
          Why the risk is acceptable (recorded in the audit trail)
          <textarea name="reason" required minLength={10} maxLength={1000} rows={2} className={control} />
        </label>
      </div>
      <button type="submit" className={`${buttonClass} mt-3`}>
        Accept as exception
      </button>
    </ActionForm>
  );
}
