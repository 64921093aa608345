/**
 * What the benchmark reports: figures with their samples, the machine limit each is compared
 * with, the ratio to it, and the target. Medians over runs; latencies are p95 of every
 * request of every run.
 */

export type Unit = "ms" | "s" | "rows/s" | "req/s" | "MB";

/** The machine's own limits, measured first on the same server (see limits.ts). */
export interface MachineLimits {
  copyFromRowsPerSecond: number;
  copyToRowsPerSecond: number;
  pkLookupMs: number;
}

export type LimitKind = keyof MachineLimits;

export interface Target {
  /** What the target constrains: the figure's own value, or its ratio to the machine limit. */
  on: "value" | "ratio";
  op: "<=" | ">=";
  value: number;
}

export interface Figure {
  id: string;
  label: string;
  unit: Unit;
  /** Median of the runs' values (latency figures: p95 over all requests). */
  value: number;
  samples: number[];
  /** Which limit the ratio is taken against; latencies compare with a primary-key lookup. */
  limit?: LimitKind;
  /** The limit measured by the section itself on exactly its own rows, instead of the general one. */
  limitValue?: number;
  /** For rows/s-like figures; for durations over a known number of rows, their rate. */
  rowsPerSecond?: number;
  target?: Target;
  /** Failed requests under load: any makes the figure fail, whatever its latency. */
  errors?: number;
  note?: string;
}

export interface FigureResult extends Figure {
  ratio?: number;
  pass?: boolean;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * The ratio to the machine's limit. Throughputs divide by the raw COPY rate (higher is better,
 * 1.0 would be PostgreSQL alone); latencies divide by a primary-key lookup's round trip (how many
 * lookups' worth of time the figure costs).
 */
export function evaluate(figure: Figure, limits: MachineLimits | null): FigureResult {
  const result: FigureResult = { ...figure };
  if (figure.limit && (limits || figure.limitValue !== undefined)) {
    const limitValue = figure.limitValue ?? limits![figure.limit];
    result.limitValue = limitValue;
    if (figure.limit === "pkLookupMs") result.ratio = toMs(figure.value, figure.unit) / limitValue;
    else if (figure.rowsPerSecond !== undefined) result.ratio = figure.rowsPerSecond / limitValue;
    else result.ratio = figure.value / limitValue;
  }
  if (figure.target) {
    const actual = figure.target.on === "ratio" ? result.ratio : figure.value;
    if (actual !== undefined && Number.isFinite(actual)) result.pass = figure.target.op === "<=" ? actual <= figure.target.value : actual >= figure.target.value;
  }
  if (figure.errors) result.pass = false;
  return result;
}

function toMs(value: number, unit: Unit): number {
  return unit === "s" ? value * 1000 : value;
}

const number = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "—");

export function formatValue(value: number, unit: Unit): string {
  if (unit === "ms") return `${number(value, value < 10 ? 1 : 0)} ms`;
  if (unit === "s") return `${number(value, value < 10 ? 2 : 1)} s`;
  if (unit === "MB") return `${number(value)} MB`;
  return `${number(value)} ${unit}`;
}

function formatLimit(result: FigureResult): string {
  if (result.limitValue === undefined) return "";
  if (result.limit === "pkLookupMs") return `PK lookup ${number(result.limitValue, 2)} ms`;
  return `${result.limit === "copyFromRowsPerSecond" ? "COPY FROM" : "COPY TO"} ${number(result.limitValue)} rows/s`;
}

function formatRatio(result: FigureResult): string {
  if (result.ratio === undefined) return "";
  return result.limit === "pkLookupMs" ? `${number(result.ratio)}×` : `${number(result.ratio, 2)}`;
}

function formatTarget(result: FigureResult): string {
  const t = result.target;
  if (!t) return "";
  if (t.on === "ratio") return `${t.op === "<=" ? "≤" : "≥"} ${number(t.value * 100)}% of limit`;
  return `${t.op === "<=" ? "≤" : "≥"} ${formatValue(t.value, result.unit)}`;
}

export function renderTable(results: FigureResult[]): string {
  const header = ["figure", "value", "limit", "ratio", "target", ""];
  const rows = results.map((r) => [r.label, formatValue(r.value, r.unit), formatLimit(r), formatRatio(r), formatTarget(r), r.pass === undefined ? "" : r.pass ? "pass" : "FAIL"]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}
