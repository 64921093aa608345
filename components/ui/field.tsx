const control = "mt-1 block min-h-9 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm";

export function SelectField({ label, name, value, options }: { label: string; name: string; value?: string; options: [string, string][] }) {
  return (
    <label className="block text-sm font-medium text-slate-800">
      {label}
      <select name={name} defaultValue={value ?? ""} className={control}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TextField({ label, name, value, placeholder, type = "text", id }: { label: string; name: string; value?: string; placeholder?: string; type?: string; id?: string }) {
  return (
    <label className="block text-sm font-medium text-slate-800">
      {label}
      <input id={id} name={name} type={type} defaultValue={value ?? ""} placeholder={placeholder} className={control} />
    </label>
  );
}

export const buttonClass = "inline-flex min-h-9 items-center rounded bg-blue-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-900 disabled:opacity-60";
export const secondaryButtonClass = "inline-flex min-h-9 items-center rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100";
