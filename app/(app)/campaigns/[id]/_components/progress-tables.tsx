import Link from "next/link";
import type { MatrixCell, ProgressRow } from "@/db/queries/campaigns";
import { PROGRESS_ROWS } from "@/lib/domain/campaigns/campaign-views";
import { RecommendationBadge } from "@/components/reviews/recommendation-badge";
import { ProgressText } from "@/components/campaigns/status";
import { EmptyRow, Table, Td } from "@/components/ui/table";

export function ProgressTable({
  caption,
  label,
  rows,
  more,
  linkFor,
  empty,
}: {
  caption: string;
  label: string;
  rows: ProgressRow[];
  more: boolean;
  linkFor: (row: ProgressRow) => string | null;
  empty: string;
}) {
  return (
    <>
      <Table caption={caption} captionHidden headers={[label, "Decided", "Undecided", "Overdue"]}>
        {rows.length === 0 ? <EmptyRow colSpan={4}>No items.</EmptyRow> : null}
        {rows.map((row) => {
          const href = linkFor(row);
          return (
            <tr key={row.id ?? "none"}>
              <Td>
                {href && row.name ? (
                  <Link href={href} className="text-blue-800 underline">
                    {row.name}
                  </Link>
                ) : (
                  (row.name ?? <span className="text-red-800">{empty}</span>)
                )}
              </Td>
              <Td>
                <ProgressText decided={row.decided} total={row.total} />
              </Td>
              <Td>{row.pending.toLocaleString("en")}</Td>
              <Td>{row.overdue > 0 ? <span className="font-medium text-red-800">{row.overdue.toLocaleString("en")}</span> : "0"}</Td>
            </tr>
          );
        })}
      </Table>
      {more ? <p className="mt-1 text-sm text-slate-700">Showing the {PROGRESS_ROWS} with the most outstanding; filter the items below for the rest.</p> : null}
    </>
  );
}

const RECOMMENDATIONS = ["certify", "revoke", "reduce", "none"] as const;
const DECISIONS = [
  ["certify", "Certified"],
  ["revoke", "Revoked"],
  ["reduce", "Reduced"],
  ["undecided", "Undecided"],
] as const;

/** Rows: what Accord recommended; columns: what the reviewer decided. */
export function DecisionMatrix({ cells }: { cells: MatrixCell[] }) {
  const count = (r: string, d: string) => cells.find((c) => c.recommendation === r && c.decision === d)?.n ?? 0;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Items by recommendation (rows) and decision (columns)</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-semibold">
              Recommended ↓ / Decided →
            </th>
            {DECISIONS.map(([, text]) => (
              <th key={text} scope="col" className="px-3 py-2 text-right font-semibold">
                {text}
              </th>
            ))}
            <th scope="col" className="px-3 py-2 text-right font-semibold">
              Total
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {RECOMMENDATIONS.map((r) => (
            <tr key={r}>
              <th scope="row" className="px-3 py-2 text-left font-normal">
                <RecommendationBadge value={r} />
              </th>
              {DECISIONS.map(([d]) => (
                <td key={d} className="px-3 py-2 text-right tabular-nums">
                  {count(r, d).toLocaleString("en")}
                </td>
              ))}
              <td className="px-3 py-2 text-right font-medium tabular-nums">{DECISIONS.reduce((n, [d]) => n + count(r, d), 0).toLocaleString("en")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
