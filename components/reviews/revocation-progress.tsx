import { Time } from "@/components/ui/time";

const STEPS = ["requested", "dispatched", "applied", "verified"] as const;

/** Requested → Dispatched → Applied → Verified, or Failed with its error: a removal is never shown done before it is verified. */
export function RevocationProgress({ revocation }: { revocation: { status: string; error: string | null; verifiedAt: Date | null; verification: string | null } }) {
  const failed = revocation.status === "failed";
  const reached = STEPS.indexOf(revocation.status as (typeof STEPS)[number]);
  return (
    <div className="mt-2" role="status" aria-label="Revocation progress">
      <ol className="flex flex-wrap gap-2 text-sm">
        {STEPS.map((step, i) => (
          <li key={step} className={`rounded px-2 py-0.5 ring-1 ring-inset ${i <= reached ? "bg-emerald-50 text-emerald-900 ring-emerald-300" : "bg-slate-50 text-slate-600 ring-slate-300"}`}>
            <span aria-hidden="true">{i <= reached ? "✓ " : "○ "}</span>
            {step.charAt(0).toUpperCase() + step.slice(1)}
          </li>
        ))}
        {failed ? <li className="rounded bg-red-50 px-2 py-0.5 text-red-900 ring-1 ring-inset ring-red-300">✕ Failed</li> : null}
      </ol>
      <p className="mt-1 text-sm">
        Revocation: <strong>{revocation.status}</strong>
        {revocation.verifiedAt ? (
          <>
            {" "}
            on <Time value={revocation.verifiedAt} />
            {revocation.verification ? ` (${revocation.verification.replaceAll("_", " ")})` : ""}
          </>
        ) : null}
        {revocation.error ? <span className="text-red-800"> — {revocation.error}</span> : null}
      </p>
    </div>
  );
}
