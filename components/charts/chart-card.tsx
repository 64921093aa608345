import Link from "next/link";
import { Time } from "@/components/ui/time";

/**
 * A dashboard chart's frame: plain-language title, what it counts, a freshness stamp, the chart,
 * a table view behind a native disclosure (keyboard and screen reader friendly, no script), and
 * links to the lists behind the figures.
 */
export function ChartCard({
  id,
  title,
  description,
  asOf,
  chart,
  table,
  links = [],
  empty,
}: {
  id: string;
  title: string;
  description: React.ReactNode;
  asOf: Date;
  chart: React.ReactNode;
  table: React.ReactNode;
  links?: { href: string; label: string }[];
  /** When set, the chart has nothing to show: say why instead of drawing empty axes. */
  empty?: string | null;
}) {
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4" data-chart={id}>
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="text-sm text-slate-700">{description}</p>
      <p className="mt-1 text-xs text-slate-600">
        As of <Time value={asOf} />
      </p>
      <div className="mt-3">{empty ? <p className="rounded border border-dashed border-slate-300 p-6 text-center text-sm text-slate-700">{empty}</p> : chart}</div>
      <details className="mt-3 text-sm">
        <summary className="min-h-6 cursor-pointer font-medium text-blue-800 underline-offset-2 hover:underline">Show as a table</summary>
        <div className="mt-2">{table}</div>
      </details>
      {links.length ? (
        <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {links.map((l) => (
            <li key={l.href}>
              <Link href={l.href} className="font-medium text-blue-800 underline underline-offset-2">
                {l.label}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export type Cell = string | number | null | { text: string | number; href: string };

/** A chart's numbers as a real table with a caption and scoped headers. */
export function DataTable({ caption, headers, rows, rowHeader = true }: { caption: string; headers: string[]; rows: Cell[][]; rowHeader?: boolean }) {
  const render = (c: Cell) => {
    if (c === null) return "—";
    if (typeof c === "object")
      return (
        <Link href={c.href} className="text-blue-800 underline underline-offset-2">
          {typeof c.text === "number" ? c.text.toLocaleString("en") : c.text}
        </Link>
      );
    return typeof c === "number" ? c.toLocaleString("en") : c;
  };
  return (
    <div className="max-h-96 overflow-auto rounded border border-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 bg-slate-50">
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col" className="px-2 py-1 text-left font-semibold">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.length === 0 ? (
            <tr>
              <td colSpan={headers.length} className="px-2 py-3 text-center text-slate-600">
                Nothing to show for these filters.
              </td>
            </tr>
          ) : (
            rows.map((row, i) => (
              <tr key={i}>
                {row.map((c, j) =>
                  j === 0 && rowHeader ? (
                    <th key={j} scope="row" className="px-2 py-1 text-left font-medium">
                      {render(c)}
                    </th>
                  ) : (
                    <td key={j} className="px-2 py-1 tabular-nums">
                      {render(c)}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
