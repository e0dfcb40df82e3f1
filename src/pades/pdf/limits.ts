/**
 * Bounds on parsing one untrusted PDF. Every loop whose length comes from the
 * file (xref rows, object streams, the page tree, form fields) and every
 * inflate is charged to one ParseBudget, so a 128-byte file cannot make us
 * allocate gigabytes or spin for a minute. A file over a limit is refused with
 * the limit's name; real contracts stay far below every one of them.
 */

export interface PdfLimits {
  /** Objects a cross-reference chain may declare (/Size, /Index counts, table rows). */
  maxObjects: number;
  /** Cross-reference sections followed through /Prev and /XRefStm. */
  maxXrefSections: number;
  /** Bytes per xref-stream field (/W): 8 already addresses an exabyte. */
  maxXrefFieldWidth: number;
  /** Arrays and dictionaries inside one another. */
  maxNestingDepth: number;
  /** Output of one inflate, and of all inflates of the file together. */
  maxInflatedBytesPerStream: number;
  maxInflatedBytesTotal: number;
  /** Objects actually parsed (each may cost a scan for a missing /Length). */
  maxParsedObjects: number;
  /** Leaves of the page tree. */
  maxPages: number;
  /** Nodes visited in the AcroForm field tree, and signature fields among them. */
  maxFormFields: number;
  maxSignatureFields: number;
  /** Wall time for parsing one file. */
  timeBudgetMs: number;
}

export const defaultPdfLimits: PdfLimits = {
  maxObjects: 1_000_000,
  maxXrefSections: 1_000,
  maxXrefFieldWidth: 8,
  maxNestingDepth: 64,
  maxInflatedBytesPerStream: 32 * 1024 * 1024,
  maxInflatedBytesTotal: 48 * 1024 * 1024,
  maxParsedObjects: 200_000,
  maxPages: 10_000,
  maxFormFields: 5_000,
  maxSignatureFields: 50,
  timeBudgetMs: 5_000,
};

export type PdfLimitName = keyof PdfLimits;

/** Thrown when a file goes over one of the limits: the message names it. */
export class PdfLimitError extends Error {
  constructor(
    readonly limit: PdfLimitName,
    readonly value: number,
  ) {
    super(`the file exceeds the limit ${limit} (${value})`);
    this.name = "PdfLimitError";
  }
}

/** What parsing one file may still spend. */
export class ParseBudget {
  private inflated = 0;
  private parsed = 0;
  private readonly deadline: number;

  constructor(readonly limits: PdfLimits = defaultPdfLimits) {
    this.deadline = Date.now() + limits.timeBudgetMs;
  }

  /** Throws when `value` is over the named limit. */
  check(limit: Exclude<PdfLimitName, "timeBudgetMs">, value: number): void {
    if (value > this.limits[limit]) throw new PdfLimitError(limit, this.limits[limit]);
  }

  /** Called from loops driven by the file: cheap, so call it often. */
  tick(): void {
    if (Date.now() > this.deadline) throw new PdfLimitError("timeBudgetMs", this.limits.timeBudgetMs);
  }

  parsedObject(): void {
    this.parsed++;
    this.check("maxParsedObjects", this.parsed);
    if ((this.parsed & 0x3f) === 0) this.tick();
  }

  /** How many bytes the next inflate may produce. */
  inflateAllowance(): number {
    return Math.max(1, Math.min(this.limits.maxInflatedBytesPerStream, this.limits.maxInflatedBytesTotal - this.inflated));
  }

  inflatedBytes(count: number): void {
    this.inflated += count;
    this.check("maxInflatedBytesTotal", this.inflated);
    this.tick();
  }
}
