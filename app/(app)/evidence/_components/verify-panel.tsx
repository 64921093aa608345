"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/field";

interface Report {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  warnings: string[];
}

/** Uploads a bundle to be checked against this Accord's key; the offline command does the same without Accord. */
export function VerifyPanel() {
  const [report, setReport] = useState<Report | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = (new FormData(event.currentTarget).get("bundle") as File | null) ?? null;
    setReport(null);
    setProblem(null);
    if (!file || file.size === 0) return setProblem("Choose a bundle (.zip) first.");
    setPending(true);
    try {
      const response = await fetch("/api/evidence/verify", { method: "POST", headers: { "Content-Type": "application/zip" }, body: file });
      const body = (await response.json()) as Report & { message?: string };
      if (!response.ok) setProblem(body.message ?? `Verification failed (${response.status}).`);
      else setReport(body);
    } catch {
      setProblem("The bundle could not be uploaded. Nothing was changed; try again.");
    } finally {
      setPending(false);
    }
  }

  const failed = report?.checks.filter((c) => !c.ok).length ?? 0;
  return (
    // onSubmit catches its own failures and shows them, so nothing is left to await here.
    <form onSubmit={(event) => void onSubmit(event)} aria-busy={pending} className="max-w-3xl space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <label className="block text-sm font-medium text-slate-800">
        Bundle to verify (.zip)
        <input type="file" name="bundle" accept=".zip,application/zip" className="mt-1 block text-sm" />
      </label>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Verifying…" : "Verify bundle"}
      </button>
      <div aria-live="polite" className="text-sm">
        {problem ? (
          <p role="alert" className="text-red-800">
            {problem}
          </p>
        ) : null}
        {report ? (
          <>
            <p className={report.ok ? "font-medium text-emerald-800" : "font-medium text-red-800"}>
              {report.ok ? `Verified: all ${report.checks.length} checks passed.` : `Not verified: ${failed} of ${report.checks.length} checks failed.`}
            </p>
            <ul className="mt-1 space-y-0.5">
              {report.checks.map((c) => (
                <li key={c.name}>
                  <span className={c.ok ? "text-emerald-800" : "font-semibold text-red-800"}>{c.ok ? "✓ passed" : "✗ FAILED"}</span> {c.name}: {c.detail}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </form>
  );
}
