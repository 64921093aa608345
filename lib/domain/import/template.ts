import { type ImportKind, KINDS } from "./kinds";

/** Quotes a CSV cell only when it must be (comma, quote, line break, or edge spaces). */
export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const csvLine = (cells: readonly string[]) => cells.map(csvCell).join(",") + "\r\n";

/** The downloadable template: the header Accord expects and one example row. */
export function templateCsv(kind: ImportKind): string {
  const columns = KINDS[kind].columns;
  return csvLine(columns.map((c) => c.name)) + csvLine(columns.map((c) => c.example));
}

export const templateFilename = (kind: ImportKind) => `accord-${kind}-template.csv`;
