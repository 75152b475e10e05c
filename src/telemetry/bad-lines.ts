/** One input line a reader could not turn into a request record. */
export interface BadLine {
  /** Input name (file name, `-` for standard input). */
  readonly input: string;
  /** 1-based line number in the (decompressed) input. */
  readonly line: number;
  /** Why, naming the field at fault, e.g. `input_tokens: expected a non-negative integer`. */
  readonly reason: string;
}

/** Bad lines kept with their details; beyond this only the count grows (a wholly broken file must not fill memory). */
export const BAD_LINES_KEPT = 1000;

/**
 * Counts of what a reader saw. Long-lived and shared by every input of a run, so a report covers all of them.
 */
export class ReadStats {
  /** Lines read (blank lines included). */
  lines = 0;
  /** Request records produced. */
  records = 0;
  /** Lines (or spans) that produced no record. */
  badCount = 0;
  /** The first {@link BAD_LINES_KEPT} bad lines. */
  readonly bad: BadLine[] = [];

  /** Records a bad line. */
  reject(input: string, line: number, reason: string): void {
    this.badCount++;
    if (this.bad.length < BAD_LINES_KEPT) this.bad.push({ input, line, reason });
  }
}
