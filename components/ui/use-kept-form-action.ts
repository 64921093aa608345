"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/actions/define-action";

/**
 * A server action bound to a form that keeps what was entered when the action reports an error.
 * Submitted by hand rather than through `<form action>`: React resets a form after every action
 * that returns, and an action that reports an error returns, so the person's input would be
 * thrown away with the error that asks them to correct it. Here the fields are cleared only
 * after a success (once the page's new values have rendered). Spread `formProps` on the form.
 */
export function useKeptFormAction<T>(action: (input: FormData) => Promise<ActionResult<T>>) {
  const [state, dispatch, pending] = useActionState(async (_: ActionResult<T> | null, formData: FormData) => action(formData), null);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) ref.current?.reset();
  }, [state]);
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The button pressed is part of what was submitted (forms with several, such as decisions).
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  };
  return { state, pending, formProps: { ref, onSubmit } };
}
