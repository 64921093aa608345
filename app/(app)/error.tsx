"use client";

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-6">
      <h1 className="text-xl font-semibold text-red-900">This page could not be loaded</h1>
      <p className="mt-2 text-red-900">Nothing was changed. Reference: {error.digest ?? "none"}</p>
      <button type="button" onClick={reset} className="mt-4 min-h-9 rounded bg-red-800 px-3 py-1.5 text-white">
        Retry
      </button>
    </div>
  );
}
