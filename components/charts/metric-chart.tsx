"use client";

import { useRouter } from "next/navigation";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Label, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * One recharts component for every dashboard chart. It receives ready series (the metric SQL
 * computed them) and computes nothing. The SVG sits in role="img" with the summary as its name;
 * the data table beside it (ChartCard) is the accessible view. Clicking a mark opens the list
 * behind it: hrefTemplate with __X__ (the category or day) and __S__ (the series key) filled in.
 */
export interface Series {
  key: string;
  label: string;
  /** From PALETTE (./palette): at least 3:1 against white (WCAG 1.4.11). */
  color: string;
}

export function MetricChart({
  kind,
  data,
  xKey,
  series,
  stacked = false,
  horizontal = false,
  xLabel,
  yLabel,
  summary,
  unit = "",
  hrefTemplate,
  linkKey,
  height = 260,
  max,
}: {
  kind: "area" | "bar" | "line";
  data: Record<string, string | number | null>[];
  xKey: string;
  series: Series[];
  stacked?: boolean;
  /** Bars running left to right, categories down the side (long names: applications, reviewers). */
  horizontal?: boolean;
  xLabel: string;
  yLabel: string;
  summary: string;
  unit?: string;
  hrefTemplate?: string;
  /** The data field that fills __X__ (default: xKey), e.g. an id where the axis shows a name. */
  linkKey?: string;
  height?: number;
  /** Fix the value axis's top (100 for shares), else it follows the data. */
  max?: number;
}) {
  const router = useRouter();
  const open = (x: unknown, s?: string) => {
    if (!hrefTemplate || x === undefined || x === null) return;
    router.push(hrefTemplate.replace("__X__", encodeURIComponent(String(x))).replace("__S__", encodeURIComponent(s ?? "")));
  };
  const onChartClick = (state: { activeTooltipIndex?: unknown } | null) => {
    const index = Number(state?.activeTooltipIndex);
    if (Number.isInteger(index) && data[index]) open(data[index]![linkKey ?? xKey]);
  };
  const category = (
    <XAxis dataKey={horizontal ? undefined : xKey} type={horizontal ? "number" : "category"} tick={{ fontSize: 12 }} height={48}>
      <Label value={horizontal ? yLabel : xLabel} position="insideBottom" offset={0} style={{ fill: "#334155", fontSize: 12 }} />
    </XAxis>
  );
  const value = (
    <YAxis
      dataKey={horizontal ? xKey : undefined}
      type={horizontal ? "category" : "number"}
      domain={!horizontal && max !== undefined ? [0, max] : undefined}
      allowDataOverflow={!horizontal && max !== undefined}
      width={horizontal ? 160 : 64}
      tick={{ fontSize: 12 }}
      allowDecimals={!horizontal}
    >
      <Label value={horizontal ? xLabel : yLabel} angle={-90} position="insideLeft" style={{ fill: "#334155", fontSize: 12, textAnchor: "middle" }} />
    </YAxis>
  );
  const common = {
    data,
    // Recharts' keyboard layer would put focusable marks inside the aria-hidden drawing; the table view is the keyboard path.
    accessibilityLayer: false,
    margin: { top: 8, right: 16, bottom: 8, left: 8 },
    onClick: hrefTemplate ? onChartClick : undefined,
    style: hrefTemplate ? { cursor: "pointer" } : undefined,
  };
  const tooltip = <Tooltip formatter={(v) => `${typeof v === "number" ? v.toLocaleString("en") : String(v)}${unit}`} />;
  const legend = <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />;
  let chart: React.ReactElement;
  if (kind === "bar") {
    chart = (
      <BarChart {...common} layout={horizontal ? "vertical" : "horizontal"} onClick={undefined}>
        <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
        {category}
        {value}
        {tooltip}
        {legend}
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={s.color}
            stackId={stacked ? "stack" : undefined}
            cursor={hrefTemplate ? "pointer" : undefined}
            onClick={(entry: { payload?: Record<string, unknown> }) => open(entry?.payload?.[linkKey ?? xKey], s.key)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    );
  } else if (kind === "area") {
    chart = (
      <AreaChart {...common}>
        <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
        {category}
        {value}
        {tooltip}
        {legend}
        {series.map((s) => (
          <Area key={s.key} type="stepAfter" dataKey={s.key} name={s.label} stroke={s.color} fill={s.color} fillOpacity={0.35} stackId={stacked ? "stack" : undefined} isAnimationActive={false} />
        ))}
      </AreaChart>
    );
  } else {
    chart = (
      <LineChart {...common}>
        <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
        {category}
        {value}
        {tooltip}
        {legend}
        {series.map((s, i) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.label}
            stroke={s.color}
            strokeWidth={2}
            strokeDasharray={i % 2 ? "6 3" : undefined}
            dot={data.length <= 31}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    );
  }
  return (
    <div role="img" aria-label={summary} style={{ width: "100%", height }}>
      {/* The drawing itself is hidden from assistive technology: the summary names it, the table view reads it. */}
      <div aria-hidden="true" style={{ width: "100%", height: "100%" }}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height }}>
          {chart}
        </ResponsiveContainer>
      </div>
    </div>
  );
}
