/**
 * How a run names the rows of a spec-z file in its warnings and errors: a delimited text file's
 * by their line in the file (a header, comments and blank lines counted), as `tsm register`'s
 * report and the app's Catalogs page do; a Parquet, FITS or HDF5 table's by their row (1-based).
 */
export class SpeczRowNames {
  private readonly parts: Int32Array[] = [];
  private readonly starts: number[] = [];
  private rows = 0;

  /** Forgets the lines kept (the file is read again). */
  clear(): void {
    this.parts.length = 0;
    this.starts.length = 0;
    this.rows = 0;
  }

  /** The lines of a text file's next batch of rows, in the order the rows are read. */
  addLines(lines: Int32Array): void {
    if (lines.length === 0) return;
    this.parts.push(lines);
    this.starts.push(this.rows);
    this.rows += lines.length;
  }

  /** 'line' when the lines of the rows are known (a text file), else 'row'. */
  get label(): 'line' | 'row' {
    return this.parts.length > 0 ? 'line' : 'row';
  }

  /** The number a row (0-based) is named by: its line in a text file, else its row (1-based). */
  numberOf(row: number): number {
    if (this.parts.length === 0 || row >= this.rows) return row + 1;
    let k = this.starts.length - 1;
    while (k > 0 && this.starts[k] > row) k--;
    return this.parts[k][row - this.starts[k]];
  }

  /** "line 5" or "row 4". */
  one(row: number): string {
    return `${this.label} ${this.numberOf(row)}`;
  }

  /**
   * The first rows (0-based) of `total` named: "line 5", "lines 5, 6" or "rows 4, 5, ..." when
   * more than those listed.
   */
  list(rows: number[], total: number): string {
    const s = total > 1 ? 's' : '';
    const more = total > rows.length ? ', ...' : '';
    return `${this.label}${s} ${rows.map((r) => this.numberOf(r)).join(', ')}${more}`;
  }
}
