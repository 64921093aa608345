import Link from "next/link";

/** Keyset paging: "next page" carries the cursor and keeps the filters; "first page" drops the cursor. */
export function Pager({ basePath, query, nextCursor }: { basePath: string; query: Record<string, string | undefined>; nextCursor: string | null }) {
  const withCursor = (cursor?: string) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v && k !== "cursor") params.set(k, v);
    if (cursor) params.set("cursor", cursor);
    const qs = params.toString();
    return qs ? `${basePath}?${qs}` : basePath;
  };
  return (
    <nav aria-label="Pages" className="mt-3 flex gap-3 text-sm">
      {query.cursor ? (
        <Link className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100" href={withCursor()}>
          First page
        </Link>
      ) : null}
      {nextCursor ? (
        <Link className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100" href={withCursor(nextCursor)}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
