import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-10">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-700">This page does not exist, or it is outside what you may see.</p>
      <p className="mt-4">
        <Link className="text-blue-800 underline" href="/">
          Back to the overview
        </Link>
      </p>
    </main>
  );
}
