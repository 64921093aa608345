"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const pathname = usePathname();
  const current = href === "/" ? pathname === "/" : pathname.startsWith(href);
  return (
    <Link href={href} aria-current={current ? "page" : undefined} className={`rounded px-3 py-2 text-sm font-medium ${current ? "bg-slate-900 text-white" : "text-slate-800 hover:bg-slate-200"}`}>
      {children}
    </Link>
  );
}
