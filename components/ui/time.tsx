import { formatDate, formatDateTime, formatRelative } from "@/lib/format";

/** An absolute time with a relative hint in plain text, never only in a hover title. */
export function Time({ value, now, dateOnly = false }: { value: Date | null | undefined; now?: Date; dateOnly?: boolean }) {
  if (!value) return <span className="text-slate-500">—</span>;
  const absolute = dateOnly ? formatDate(value) : formatDateTime(value);
  return (
    <time dateTime={value.toISOString()} className="whitespace-nowrap">
      {absolute}
      {now ? <span className="text-slate-600"> ({formatRelative(value, now)})</span> : null}
    </time>
  );
}
