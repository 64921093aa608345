"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

export function SsoButton({ name }: { name: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signIn("oidc", { callbackUrl: "/" });
      }}
      className="inline-flex min-h-11 w-full items-center justify-center rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900 disabled:opacity-60"
    >
      {busy ? "Redirecting…" : `Sign in with ${name}`}
    </button>
  );
}
