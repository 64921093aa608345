/** One problem in an import file: the 1-based row (CSV: header = row 1) and the column at fault. */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** Column name used for problems with the file as a whole (encoding, syntax, size). */
export const FILE_COLUMN = "(file)";

/**
 * Keeps the first `limit` errors and counts the rest, so a file where every one of 100,000
 * rows is wrong neither fills memory nor a jsonb column, yet the total is still reported.
 */
export class ErrorCollector {
  readonly kept: RowError[] = [];
  count = 0;

  constructor(readonly limit: number) {}

  add(row: number, column: string, message: string): void {
    this.count++;
    if (this.kept.length < this.limit) this.kept.push({ row, column, message });
  }

  /** Errors in the order a person fixes them: by row, then column. */
  sorted(): RowError[] {
    return [...this.kept].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  }
}

/** A problem that makes the rest of the file unreadable: stop parsing, report it as a row error. */
export class FatalFileError extends Error {
  constructor(
    readonly row: number,
    readonly column: string,
    message: string,
  ) {
    super(message);
    this.name = "FatalFileError";
  }
}
