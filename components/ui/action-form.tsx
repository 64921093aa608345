"use client";

import type { ActionResult } from "@/lib/actions/define-action";
import { useKeptFormAction } from "./use-kept-form-action";

/**
 * A form bound to a server action, with the result announced (aria-live) and field errors
 * shown next to the form: says what failed and that nothing was saved. What was entered survives
 * an error (useKeptFormAction).
 */
export function ActionForm<T>({
  action,
  children,
  successMessage,
  renderSuccess,
  className,
}: {
  action: (input: FormData) => Promise<ActionResult<T>>;
  children: React.ReactNode;
  successMessage: string;
  /** Shows what the action returned, e.g. a secret that is displayed only once. */
  renderSuccess?: (data: T) => React.ReactNode;
  className?: string;
}) {
  const { state, pending, formProps } = useKeptFormAction(action);
  return (
    <form {...formProps} className={className} aria-busy={pending}>
      <fieldset disabled={pending} className="contents">
        {children}
      </fieldset>
      <p aria-live="polite" className="mt-2 text-sm">
        {state?.ok ? <span className="text-emerald-800">{successMessage}</span> : null}
        {state?.ok && renderSuccess ? renderSuccess(state.data) : null}
        {state && !state.ok ? (
          <span role="alert" className="text-red-800">
            {state.message}
            {state.fieldErrors
              ? " " +
                Object.entries(state.fieldErrors)
                  .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
                  .join("; ")
              : null}
          </span>
        ) : null}
      </p>
    </form>
  );
}
