/**
 * Chart colours: Tailwind 700-level hues, each at least 3:1 against white (WCAG 1.4.11). A plain
 * module, not the "use client" chart: server components pick series colours from it.
 */
export const PALETTE = ["#1d4ed8", "#b45309", "#047857", "#7e22ce", "#b91c1c", "#0f766e"] as const;
