/**
 * How far the reading of a spec-z file got: `tsm register` (and the app's Check the file and
 * Register) read every row before they answer, `tsm run --specz FILE` before it plans; a million
 * rows of text take tens of seconds, so they say how far they are.
 */

/** One report of a spec-z file's reading (and of its registration's writing). */
export interface SpeczReadProgress {
  /** 'read': rows are read (and checked); 'write': a registration writes its HATS catalog. */
  phase: 'read' | 'write';
  /** Rows read so far (rows refused while reading included). */
  rowsRead: number;
  /**
   * Part of the file read, 0..1, when its size is known: the rows of a table (Parquet, FITS,
   * HDF5), the partitions of a HATS catalog, the bytes of a text file.
   */
  fraction?: number;
  /**
   * Why a text file is being read a second time (a column with text after numbers, read as text
   * now); meanwhile `rowsRead` and `fraction` stay where the first reading got until the second
   * gets further, so the progress never goes back.
   */
  again?: string;
}

export interface ReadProgressOptions {
  /** Told how far the reading got (at most every `progressIntervalMs`, and when it ends). */
  onProgress?: (progress: SpeczReadProgress) => void;
  /** Least time between two reports while reading, in ms (default 200). */
  progressIntervalMs?: number;
}

/** Counts the rows of the batches read and reports them, throttled. */
export class ReadMeter {
  private rowsRead = 0;
  private fraction: number | undefined;
  private lastMs = -Infinity;
  /** Where an earlier reading of the file got (`again`): reports do not go below it. */
  private reached = { rows: 0, fraction: 0 };
  private why: string | undefined;

  constructor(private readonly options: ReadProgressOptions = {}) {}

  /** A batch of `rows` rows was read; `fraction` of the file is read with it (when known). */
  add(rows: number, fraction?: number): void {
    this.rowsRead += rows;
    if (fraction !== undefined) this.fraction = fraction;
    if (!this.options.onProgress) return;
    const now = Date.now();
    if (now - this.lastMs < (this.options.progressIntervalMs ?? 200)) return;
    this.lastMs = now;
    this.report('read');
  }

  /** The whole file was read: its rows, and the whole of it when its size was known. */
  done(): void {
    if (this.fraction !== undefined) this.fraction = 1;
    this.report('read');
  }

  /**
   * The file is read again from its start (`why`): said at once, and the rows and part read
   * reported stay where this reading got until the next one is further.
   */
  again(why: string): void {
    this.reached = {
      rows: Math.max(this.reached.rows, this.rowsRead),
      fraction: Math.max(this.reached.fraction, this.fraction ?? 0),
    };
    this.rowsRead = 0;
    if (this.fraction !== undefined) this.fraction = 0;
    this.why = why;
    this.report('read');
  }

  /** The rows read are being written (a registration's HATS catalog). */
  writing(): void {
    this.report('write');
  }

  private report(phase: SpeczReadProgress['phase']): void {
    const reading = phase === 'read';
    const rowsRead = reading ? Math.max(this.rowsRead, this.reached.rows) : this.rowsRead;
    const { fraction } = this;
    this.options.onProgress?.({
      phase,
      rowsRead,
      ...(fraction !== undefined
        ? { fraction: reading ? Math.max(fraction, this.reached.fraction) : fraction }
        : {}),
      ...(this.why !== undefined && reading ? { again: this.why } : {}),
    });
  }
}
