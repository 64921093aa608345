import { Badge } from "@/components/ui/badge";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export interface Receipt {
  id: string;
  attempt: number;
  phase: string;
  request: unknown;
  response: unknown;
  outcome: string;
  error: string | null;
  startedAt: Date;
}

function summary(request: unknown, response: unknown): string {
  const req = (request ?? {}) as { method?: string; url?: string };
  const res = (response ?? {}) as { status?: number; note?: string };
  if (req.method && req.url) return `${req.method} ${req.url}${res.status ? ` → HTTP ${res.status}` : ""}`;
  return res.note ?? "";
}

/** Every exchange with the target, as kept (secrets were redacted before storing). */
export function Receipts({ rows, caption }: { rows: Receipt[]; caption: string }) {
  return (
    <Table caption={caption} headers={["Attempt", "Phase", "When", "Outcome", "Exchange", "Request and response"]}>
      {rows.length === 0 ? <EmptyRow colSpan={6}>Nothing sent yet.</EmptyRow> : null}
      {rows.map((r) => (
        <tr key={r.id}>
          <Td>{r.attempt}</Td>
          <Td>{r.phase}</Td>
          <Td>
            <Time value={r.startedAt} />
          </Td>
          <Td>
            <Badge tone={r.outcome === "ok" ? "good" : r.outcome === "pending" ? "warn" : "bad"}>{r.outcome}</Badge>
            {r.error ? <span className="ml-1 text-red-800">{r.error}</span> : null}
          </Td>
          <Td className="font-mono text-xs break-all">{summary(r.request, r.response)}</Td>
          <Td>
            <details>
              <summary className="cursor-pointer text-blue-800 underline">Show</summary>
              <pre className="mt-1 max-w-xl overflow-x-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">{JSON.stringify({ request: r.request, response: r.response }, null, 2)}</pre>
            </details>
          </Td>
        </tr>
      ))}
    </Table>
  );
}
