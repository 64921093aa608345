import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "./field";

/**
 * The filter bar above a list: a GET form (so a filtered view is a link people can share and the
 * back button restores), its fields in a grid, and the submit button (with a way back to the
 * unfiltered view where there is one) in the last cell. `columns` is the grid's Tailwind classes,
 * written out in full by the caller so Tailwind sees them.
 */
export function FilterForm({ label, columns, clearHref, children }: { label: string; columns: string; clearHref?: string; children: ReactNode }) {
  return (
    <form method="get" role="search" aria-label={label} className={`mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-3 ${columns}`}>
      {children}
      <div className="flex items-end gap-2">
        <button type="submit" className={buttonClass}>
          Apply filters
        </button>
        {clearHref ? (
          <Link href={clearHref} className="min-h-6 py-1.5 text-sm text-blue-800 underline">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
