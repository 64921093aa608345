"use client";

import Link from "next/link";
import { useState } from "react";
import { buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { useKeptFormAction } from "@/components/ui/use-kept-form-action";
import { FieldError } from "@/components/requests/request-form";
import { createRule, updateRule } from "../actions";
import { EntitlementPicker, type PickedEntitlement } from "./entitlement-picker";

const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";
const FIELDS = ["name", "severity", "description", "entitlementIds"];
const SEVERITIES = [
  ["low", "Low"],
  ["medium", "Medium"],
  ["high", "High"],
  ["critical", "Critical"],
] as const;

export interface EditedRule {
  id: string;
  name: string;
  description: string | null;
  severity: string;
  members: PickedEntitlement[];
}

/**
 * Creates a rule, or changes the one given. Errors are shown beside the field they name; what
 * was typed survives a refused submit (useKeptFormAction), and a new rule's form starts empty
 * again once it is saved.
 */
export function RuleForm({ rule }: { rule: EditedRule | null }) {
  const [chosen, setChosen] = useState<PickedEntitlement[]>(rule?.members ?? []);
  const { state, pending, formProps } = useKeptFormAction(async (data: FormData) => {
    const result = await (rule ? updateRule(data) : createRule(data));
    if (result.ok && !rule) setChosen([]);
    return result;
  });
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const elsewhere = Object.entries(errors).filter(([field]) => !FIELDS.includes(field));
  const invalid = (field: string) => (errors[field]?.length ? { "aria-invalid": true, "aria-describedby": `sod-${field}-error` } : {});
  return (
    <form {...formProps} aria-busy={pending} noValidate className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      {rule ? <input type="hidden" name="ruleId" value={rule.id} /> : null}
      <fieldset disabled={pending} className="grid gap-3 md:grid-cols-[2fr_1fr]">
        <label className="block text-sm font-medium text-slate-800">
          Name
          <input name="name" defaultValue={rule?.name ?? ""} placeholder="Enter, approve and post vendor bills" className={control} {...invalid("name")} />
          <FieldError id="sod-name-error" errors={errors.name} />
        </label>
        <label className="block text-sm font-medium text-slate-800">
          Severity of a conflict
          <select name="severity" defaultValue={rule?.severity ?? "high"} className={control} {...invalid("severity")}>
            {SEVERITIES.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
          <FieldError id="sod-severity-error" errors={errors.severity} />
        </label>
        <label className="block text-sm font-medium text-slate-800 md:col-span-2">
          Why the rule exists (shown with every finding it raises)
          <textarea name="description" rows={2} defaultValue={rule?.description ?? ""} className={control} {...invalid("description")} />
          <FieldError id="sod-description-error" errors={errors.description} />
        </label>
        <div className="md:col-span-2">
          <EntitlementPicker name="entitlementIds" chosen={chosen} onChange={setChosen} errors={errors.entitlementIds} />
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={buttonClass} disabled={pending}>
          {rule ? `Save ${rule.name}` : "Create rule"}
        </button>
        {rule ? (
          <Link href="/admin/sod" className={secondaryButtonClass}>
            {state?.ok ? "Done" : "Cancel"}
          </Link>
        ) : null}
      </div>
      <p aria-live="polite" className="text-sm">
        {state?.ok ? (
          <span className="text-emerald-800">{rule ? "Saved." : "Rule created."} People who break it are counted below now; their findings open when the findings are recomputed, moments after.</span>
        ) : null}
        {state && !state.ok ? (
          <span role="alert" className="text-red-800">
            {state.message} {elsewhere.map(([field, messages]) => `${field}: ${messages.join(" ")}`).join("; ")} Nothing was saved.
          </span>
        ) : null}
      </p>
    </form>
  );
}
