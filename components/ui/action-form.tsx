"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/actions/define-action";

/**
 * A form bound to a server action, with the result announced (aria-live) and field errors
 * shown next to the form: says what failed and that nothing was saved.
 *
 * Submitted by hand rather than through `<form action>`: React resets a form after every action
 * that returns, and an action that reports an error returns, so the person's input would be
 * thrown away with the error that asks them to correct it. Here the fields are kept on an error
 * and cleared only after a success (once the page's new values have rendered).
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
  const [state, dispatch, pending] = useActionState(async (_: ActionResult<T> | null, formData: FormData) => action(formData), null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The button pressed is part of what was submitted (forms with several, such as decisions).
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  };
  return (
    <form ref={form} onSubmit={submit} className={className} aria-busy={pending}>
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
