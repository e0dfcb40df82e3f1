/**
 * Incremental updates (ISO 32000 §7.5.6): new and changed objects are
 * appended after the original bytes, followed by a cross-reference section
 * whose /Prev points at the previous one. The original bytes are never
 * touched, which is what keeps earlier signatures valid.
 */
import { randomBytes } from "node:crypto";
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFObject, PDFRef } from "pdf-lib";
import { ascii } from "./bytes.js";
import { newArray, newDict, serializeIndirect } from "./objects.js";
import type { PdfStructure } from "./structure.js";

export class IncrementalUpdate {
  private readonly objects = new Map<number, { ref: PDFRef; body: PDFObject | Uint8Array }>();
  private nextNumber: number;

  constructor(readonly base: PdfStructure) {
    this.nextNumber = base.xref.size;
  }

  /** Reserves a fresh object number. */
  allocate(): PDFRef {
    return PDFRef.of(this.nextNumber++, 0);
  }

  /** Raises the next free number (objects built elsewhere took some). */
  reserveUpTo(largestUsed: number): void {
    this.nextNumber = Math.max(this.nextNumber, largestUsed + 1);
  }

  /** The new version of an object written so far in this update, if any. */
  written(ref: PDFRef): PDFObject | Uint8Array | undefined {
    return this.objects.get(ref.objectNumber)?.body;
  }

  /** Writes a new object or a new version of an existing one. */
  set(ref: PDFRef, body: PDFObject | Uint8Array): void {
    this.objects.set(ref.objectNumber, { ref, body });
  }

  /**
   * Serializes the update. Returns the bytes to append after the original,
   * which must be appended exactly as returned (offsets are absolute).
   */
  build(): Uint8Array {
    const original = this.base.bytes;
    const chunks: Uint8Array[] = [];
    let position = original.length;
    const push = (chunk: Uint8Array) => {
      chunks.push(chunk);
      position += chunk.length;
    };
    const last = original[original.length - 1];
    if (last !== 0x0a && last !== 0x0d) push(ascii("\n"));

    const offsets = new Map<number, { offset: number; generation: number }>();
    for (const { ref, body } of [...this.objects.values()].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber)) {
      offsets.set(ref.objectNumber, { offset: position, generation: ref.generationNumber });
      push(serializeIndirect(ref, body));
    }

    const trailer = this.trailerEntries();
    const xrefOffset = position;
    if (this.base.xref.newestIsStream) {
      const xrefRef = this.allocate();
      offsets.set(xrefRef.objectNumber, { offset: xrefOffset, generation: 0 });
      push(xrefStream(xrefRef, offsets, { ...trailer, Size: PDFNumber.of(this.nextNumber) }));
    } else {
      push(xrefTable(offsets, { ...trailer, Size: PDFNumber.of(this.nextNumber) }));
    }
    push(ascii(`startxref\n${xrefOffset}\n%%EOF\n`));
    return Buffer.concat(chunks);
  }

  private trailerEntries(): Record<string, PDFObject> {
    const old = this.base.trailer;
    const entries: Record<string, PDFObject> = { Root: this.base.rootRef, Prev: PDFNumber.of(this.base.xref.lastXrefOffset) };
    const info = old.get(PDFName.of("Info"));
    if (info) entries.Info = info;
    // Keep the permanent first /ID half; the second half marks this revision.
    const id = old.get(PDFName.of("ID"));
    const permanent = id instanceof PDFArray ? id.get(0) : PDFHexString.of(randomBytes(16).toString("hex"));
    entries.ID = newArray([permanent, PDFHexString.of(randomBytes(16).toString("hex"))]);
    return entries;
  }
}

/** Groups object numbers into contiguous runs for xref subsections. */
function runs(numbers: number[]): Array<[number, number]> {
  const sorted = [...numbers].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const n of sorted) {
    const run = out[out.length - 1];
    if (run && run[0] + run[1] === n) run[1]++;
    else out.push([n, 1]);
  }
  return out;
}

type Offsets = Map<number, { offset: number; generation: number }>;

function xrefTable(offsets: Offsets, trailer: Record<string, PDFObject>): Uint8Array {
  let text = "xref\n";
  for (const [first, count] of runs([...offsets.keys()])) {
    text += `${first} ${count}\n`;
    for (let n = first; n < first + count; n++) {
      const { offset, generation } = offsets.get(n)!;
      text += `${String(offset).padStart(10, "0")} ${String(generation).padStart(5, "0")} n\r\n`;
    }
  }
  return ascii(`${text}trailer\n${newDict(trailer).toString()}\n`);
}

/** An uncompressed xref stream: tiny, and needs no predictor to read. */
function xrefStream(ref: PDFRef, offsets: Offsets, trailer: Record<string, PDFObject>): Uint8Array {
  const subsections = runs([...offsets.keys()]);
  const rows = Buffer.alloc(offsets.size * 7);
  let r = 0;
  for (const [first, count] of subsections) {
    for (let n = first; n < first + count; n++, r++) {
      const { offset, generation } = offsets.get(n)!;
      rows.writeUInt8(1, r * 7);
      rows.writeUInt32BE(offset, r * 7 + 1);
      rows.writeUInt16BE(generation, r * 7 + 5);
    }
  }
  const dict = newDict({
    ...trailer,
    Type: PDFName.of("XRef"),
    W: newArray([PDFNumber.of(1), PDFNumber.of(4), PDFNumber.of(2)]),
    Index: newArray(subsections.flat().map((n) => PDFNumber.of(n))),
    Length: PDFNumber.of(rows.length),
  });
  return serializeIndirect(ref, Buffer.concat([ascii(`${dict.toString()}\nstream\n`), rows, ascii("\nendstream")]));
}
