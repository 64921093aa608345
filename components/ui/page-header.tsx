export function PageHeader({ title, subtitle, children }: { title: string; subtitle?: React.ReactNode; children?: React.ReactNode }) {
  return (
    <header className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {subtitle ? <p className="mt-1 text-slate-700">{subtitle}</p> : null}
      </div>
      {children}
    </header>
  );
}

export function Section({ title, children, description }: { title: string; children: React.ReactNode; description?: React.ReactNode }) {
  return (
    <section className="mt-8" aria-labelledby={`section-${title.replace(/\W+/g, "-").toLowerCase()}`}>
      <h2 id={`section-${title.replace(/\W+/g, "-").toLowerCase()}`} className="text-lg font-semibold">
        {title}
      </h2>
      {description ? <p className="mb-2 text-sm text-slate-700">{description}</p> : <div className="mb-2" />}
      {children}
    </section>
  );
}

export function Facts({ items }: { items: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2 lg:grid-cols-3">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-slate-600">{label}</dt>
          <dd className="font-medium">{value ?? "—"}</dd>
        </div>
      ))}
    </dl>
  );
}
