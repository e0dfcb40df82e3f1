/**
 * Cross-reference reading: follows startxref → /Prev (and /XRefStm in
 * hybrid files) through classic tables and cross-reference streams, so we
 * can find any object's current version without scanning the file.
 */
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDict, PDFName, PDFRawStream } from "pdf-lib";
import { lastIndexOf, readInt, skipWhitespace, startsWithAt } from "./bytes.js";
import { ParseBudget, PdfLimitError } from "./limits.js";
import { numberValue, parseIndirectObjectAt, parseObjectAt, PdfSyntaxError } from "./objects.js";

export type XrefEntry =
  | { kind: "free" }
  | { kind: "offset"; offset: number; generation: number }
  | { kind: "compressed"; streamNumber: number; index: number };

export interface XrefSection {
  offset: number;
  isStream: boolean;
  trailer: PDFDict;
  entries: Map<number, XrefEntry>;
}

export interface XrefIndex {
  /** Offset named by the last startxref: the /Prev of the next update. */
  lastXrefOffset: number;
  /** Whether that newest section is a cross-reference stream. */
  newestIsStream: boolean;
  /** The newest trailer (or xref stream dictionary). */
  trailer: PDFDict;
  /** The highest /Size seen: new objects are numbered from here. */
  size: number;
  entries: Map<number, XrefEntry>;
  sectionCount: number;
}

export function findStartXref(bytes: Uint8Array): number {
  // Tolerate trailing junk after %%EOF (some scanners append a few KB).
  const from = Math.max(0, bytes.length - 64 * 1024);
  const at = lastIndexOf(bytes, "startxref", from);
  if (at < 0) throw new PdfSyntaxError("no startxref");
  const value = readInt(bytes, skipWhitespace(bytes, at + 9));
  if (!value) throw new PdfSyntaxError("startxref without an offset");
  return value.value;
}

export function readXrefIndex(bytes: Uint8Array, budget = new ParseBudget()): XrefIndex {
  const start = findStartXref(bytes);
  const entries = new Map<number, XrefEntry>();
  const visited = new Set<number>();
  let newest: XrefSection | undefined;
  let size = 0;
  let sectionCount = 0;
  // Newest first: an entry already set by a newer section wins.
  const pending: number[] = [start];
  while (pending.length > 0) {
    const offset = pending.shift()!;
    if (visited.has(offset)) continue;
    visited.add(offset);
    budget.check("maxXrefSections", visited.size);
    const section = readSection(bytes, offset, budget);
    sectionCount++;
    newest ??= section;
    for (const [n, entry] of section.entries) if (!entries.has(n)) entries.set(n, entry);
    budget.check("maxObjects", entries.size);
    size = Math.max(size, numberValue(section.trailer.get(PDFName.of("Size"))) ?? 0);
    budget.check("maxObjects", size);
    // A hybrid file's stream completes its table before older sections count.
    const xrefStm = numberValue(section.trailer.get(PDFName.of("XRefStm")));
    const prev = numberValue(section.trailer.get(PDFName.of("Prev")));
    if (xrefStm !== undefined) pending.unshift(xrefStm);
    if (prev !== undefined) pending.push(prev);
  }
  return {
    lastXrefOffset: start,
    newestIsStream: newest!.isStream,
    trailer: newest!.trailer,
    size,
    entries,
    sectionCount,
  };
}

function readSection(bytes: Uint8Array, offset: number, budget: ParseBudget): XrefSection {
  if (offset < 0 || offset >= bytes.length) throw new PdfSyntaxError(`xref offset ${offset} beyond end of file`);
  const at = skipWhitespace(bytes, offset);
  return startsWithAt(bytes, at, "xref") ? readTable(bytes, offset, at + 4, budget) : readStream(bytes, offset, budget);
}

function readTable(bytes: Uint8Array, offset: number, from: number, budget: ParseBudget): XrefSection {
  const entries = new Map<number, XrefEntry>();
  let i = skipWhitespace(bytes, from);
  while (!startsWithAt(bytes, i, "trailer")) {
    const first = readInt(bytes, i);
    const count = first && readInt(bytes, skipWhitespace(bytes, first.end));
    if (!first || !count) throw new PdfSyntaxError(`bad xref subsection at ${i}`);
    budget.check("maxObjects", first.value + count.value);
    budget.tick();
    i = skipWhitespace(bytes, count.end);
    for (let k = 0; k < count.value; k++) {
      const field1 = readInt(bytes, i);
      const field2 = field1 && readInt(bytes, skipWhitespace(bytes, field1.end));
      if (!field1 || !field2) throw new PdfSyntaxError(`bad xref entry at ${i}`);
      i = skipWhitespace(bytes, field2.end);
      const type = bytes[i];
      i = skipWhitespace(bytes, i + 1);
      const n = first.value + k;
      if (entries.has(n)) continue;
      entries.set(
        n,
        type === 0x6e /* n */ ? { kind: "offset", offset: field1.value, generation: field2.value } : { kind: "free" },
      );
    }
  }
  const trailer = parseObjectAt(bytes, i + 7, budget.limits.maxNestingDepth);
  if (!(trailer instanceof PDFDict)) throw new PdfSyntaxError("trailer is not a dictionary");
  return { offset, isStream: false, trailer, entries };
}

function readStream(bytes: Uint8Array, offset: number, budget: ParseBudget): XrefSection {
  const { object } = parseIndirectObjectAt(bytes, offset, undefined, budget.limits.maxNestingDepth);
  if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of("Type")) !== PDFName.of("XRef")) {
    throw new PdfSyntaxError(`no cross-reference at offset ${offset}`);
  }
  const dict = object.dict;
  const widths = arrayOfNumbers(dict.get(PDFName.of("W")));
  const size = numberValue(dict.get(PDFName.of("Size"))) ?? 0;
  const index = dict.has(PDFName.of("Index")) ? arrayOfNumbers(dict.get(PDFName.of("Index"))) : [0, size];
  // A row of width 0 would let /Size alone drive the loop below.
  if (widths.length !== 3 || widths.some((w) => !Number.isInteger(w) || w < 0)) throw new PdfSyntaxError("bad /W in cross-reference stream");
  for (const w of widths) budget.check("maxXrefFieldWidth", w);
  const rowLength = widths.reduce((a, b) => a + b, 0);
  if (rowLength < 1) throw new PdfSyntaxError("cross-reference stream rows of width 0 (/W)");
  budget.check("maxObjects", size);
  let declared = 0;
  for (let s = 0; s + 1 < index.length; s += 2) {
    if (index[s]! < 0 || index[s + 1]! < 0) throw new PdfSyntaxError("negative /Index in cross-reference stream");
    budget.check("maxObjects", index[s]! + index[s + 1]!);
    declared += index[s + 1]!;
  }
  budget.check("maxObjects", declared);
  const data = decodeStreamData(object, budget);
  if (declared * rowLength > data.length) throw new PdfSyntaxError("cross-reference stream too short");
  const entries = new Map<number, XrefEntry>();
  let row = 0;
  for (let s = 0; s + 1 < index.length; s += 2) {
    for (let k = 0; k < index[s + 1]; k++, row++) {
      if ((row & 0xfff) === 0) budget.tick();
      const base = row * rowLength;
      if (base + rowLength > data.length) throw new PdfSyntaxError("cross-reference stream too short");
      const field = (f: number, fallback: number): number => {
        if (widths[f] === 0) return fallback;
        let v = 0;
        const start = base + widths.slice(0, f).reduce((a, b) => a + b, 0);
        for (let b = 0; b < widths[f]; b++) v = v * 256 + data[start + b];
        return v;
      };
      const type = field(0, 1);
      const n = index[s] + k;
      if (entries.has(n)) continue;
      if (type === 1) entries.set(n, { kind: "offset", offset: field(1, 0), generation: field(2, 0) });
      else if (type === 2) entries.set(n, { kind: "compressed", streamNumber: field(1, 0), index: field(2, 0) });
      else entries.set(n, { kind: "free" });
    }
  }
  return { offset, isStream: true, trailer: dict, entries };
}

function arrayOfNumbers(object: unknown): number[] {
  if (!(object instanceof PDFArray)) throw new PdfSyntaxError("expected an array of numbers");
  return object.asArray().map((item) => {
    const n = numberValue(item);
    if (n === undefined) throw new PdfSyntaxError("expected a number");
    return n;
  });
}

/**
 * Decodes FlateDecode (with optional PNG/TIFF predictors), the only filter
 * used on cross-reference and object streams in practice.
 */
export function decodeStreamData(stream: PDFRawStream, budget: ParseBudget): Uint8Array {
  const filter = stream.dict.get(PDFName.of("Filter"));
  const filterName = filter instanceof PDFArray ? filter.get(0) : filter;
  if (filter instanceof PDFArray && filter.size() > 1) throw new PdfSyntaxError("chained filters are not supported");
  if (filterName === undefined) return stream.contents;
  if (filterName !== PDFName.of("FlateDecode")) throw new PdfSyntaxError(`unsupported filter ${String(filterName)}`);
  const raw = boundedInflate(stream.contents, budget);
  let parms = stream.dict.get(PDFName.of("DecodeParms"));
  if (parms instanceof PDFArray) parms = parms.get(0);
  if (!(parms instanceof PDFDict)) return raw;
  const predictor = numberValue(parms.get(PDFName.of("Predictor"))) ?? 1;
  if (predictor < 10) return raw;
  const columns = numberValue(parms.get(PDFName.of("Columns"))) ?? 1;
  if (!Number.isInteger(columns) || columns < 1) throw new PdfSyntaxError("bad /Columns for the predictor");
  return undoPngPredictor(raw, columns);
}

/** inflate that stops at the budget instead of growing to gigabytes (a "Flate bomb"). */
function boundedInflate(compressed: Uint8Array, budget: ParseBudget): Uint8Array {
  const allowance = budget.inflateAllowance();
  let out: Buffer;
  try {
    out = inflateSync(compressed, { maxOutputLength: allowance });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) {
      const perStream = allowance >= budget.limits.maxInflatedBytesPerStream;
      throw new PdfLimitError(perStream ? "maxInflatedBytesPerStream" : "maxInflatedBytesTotal", perStream ? budget.limits.maxInflatedBytesPerStream : budget.limits.maxInflatedBytesTotal);
    }
    throw new PdfSyntaxError(`stream does not inflate (${(error as Error).message})`);
  }
  budget.inflatedBytes(out.length);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function undoPngPredictor(data: Uint8Array, columns: number): Uint8Array {
  const rows = Math.floor(data.length / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const filterType = data[r * (columns + 1)];
    const src = r * (columns + 1) + 1;
    const dst = r * columns;
    for (let c = 0; c < columns; c++) {
      const left = c > 0 ? out[dst + c - 1] : 0;
      const up = r > 0 ? out[dst - columns + c] : 0;
      const upLeft = r > 0 && c > 0 ? out[dst - columns + c - 1] : 0;
      let value = data[src + c];
      if (filterType === 1) value += left;
      else if (filterType === 2) value += up;
      else if (filterType === 3) value += (left + up) >> 1;
      else if (filterType === 4) value += paeth(left, up, upLeft);
      out[dst + c] = value & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
