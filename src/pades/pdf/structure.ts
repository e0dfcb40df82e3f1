/**
 * A read-only, lazy view of a PDF's current version: resolves the objects
 * we need (catalog, page tree, AcroForm, signature fields) through the
 * cross-reference index, parsing only those objects.
 */
import { PDFArray, PDFDict, PDFName, PDFObject, PDFRawStream, PDFRef } from "pdf-lib";
import { latin1, readInt, skipWhitespace } from "./bytes.js";
import { ParseBudget, type PdfLimits } from "./limits.js";
import { numberValue, parseIndirectObjectAt, parseObjectAt, PdfSyntaxError } from "./objects.js";
import { decodeStreamData, readXrefIndex, type XrefIndex } from "./xref.js";

export class PdfStructure {
  private readonly cache = new Map<number, PDFObject>();
  private readonly objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>();

  private constructor(
    readonly bytes: Uint8Array,
    readonly xref: XrefIndex,
    readonly version: string,
    /** What reading further objects of this file may still cost. */
    readonly budget: ParseBudget,
  ) {}

  static open(bytes: Uint8Array, limits?: PdfLimits): PdfStructure {
    const header = latin1(bytes, 0, Math.min(bytes.length, 1024));
    const match = /%PDF-(\d\.\d)/.exec(header);
    if (!match) throw new PdfSyntaxError("no %PDF header");
    const budget = new ParseBudget(limits);
    return new PdfStructure(bytes, readXrefIndex(bytes, budget), match[1]!, budget);
  }

  get trailer(): PDFDict {
    return this.xref.trailer;
  }

  get encrypted(): boolean {
    return this.trailer.has(PDFName.of("Encrypt"));
  }

  get rootRef(): PDFRef {
    const root = this.trailer.get(PDFName.of("Root"));
    if (!(root instanceof PDFRef)) throw new PdfSyntaxError("trailer has no /Root reference");
    return root;
  }

  get catalog(): PDFDict {
    return this.dict(this.rootRef, "catalog");
  }

  /** The effective version: the catalog's /Version overrides the header. */
  get effectiveVersion(): string {
    const v = this.catalog.get(PDFName.of("Version"));
    const fromCatalog = v instanceof PDFName ? v.decodeText() : undefined;
    return fromCatalog && fromCatalog > this.version ? fromCatalog : this.version;
  }

  /** Follows references until a direct object. */
  resolve(object: PDFObject | undefined): PDFObject | undefined {
    let current = object;
    for (let hops = 0; current instanceof PDFRef; hops++) {
      if (hops > 32) throw new PdfSyntaxError("reference loop");
      current = this.getObject(current.objectNumber);
    }
    return current;
  }

  dict(object: PDFObject | undefined, what: string): PDFDict {
    const resolved = this.resolve(object);
    if (!(resolved instanceof PDFDict)) throw new PdfSyntaxError(`${what} is not a dictionary`);
    return resolved;
  }

  lookup(dict: PDFDict, key: string): PDFObject | undefined {
    return this.resolve(dict.get(PDFName.of(key)));
  }

  getObject(objectNumber: number): PDFObject | undefined {
    const cached = this.cache.get(objectNumber);
    if (cached) return cached;
    const entry = this.xref.entries.get(objectNumber);
    let object: PDFObject | undefined;
    if (entry && entry.kind !== "free") this.budget.parsedObject();
    if (entry?.kind === "offset") {
      object = parseIndirectObjectAt(this.bytes, entry.offset, objectNumber, this.budget.limits.maxNestingDepth).object;
    } else if (entry?.kind === "compressed") {
      object = this.readCompressed(entry.streamNumber, objectNumber);
    }
    if (object) this.cache.set(objectNumber, object);
    return object;
  }

  private readCompressed(streamNumber: number, objectNumber: number): PDFObject {
    const objStm = this.objectStream(streamNumber);
    const at = objStm.offsets.get(objectNumber);
    if (at === undefined) throw new PdfSyntaxError(`object ${objectNumber} not in stream ${streamNumber}`);
    return parseObjectAt(objStm.data, at, this.budget.limits.maxNestingDepth);
  }

  /** An object stream's decoded text and where each of its objects starts. */
  objectStream(streamNumber: number): { data: Uint8Array; offsets: Map<number, number> } {
    let objStm = this.objectStreams.get(streamNumber);
    if (!objStm) {
      const stream = this.getObject(streamNumber);
      if (!(stream instanceof PDFRawStream)) throw new PdfSyntaxError(`object stream ${streamNumber} missing`);
      const data = decodeStreamData(stream, this.budget);
      const count = numberValue(stream.dict.get(PDFName.of("N"))) ?? 0;
      const first = numberValue(stream.dict.get(PDFName.of("First"))) ?? 0;
      this.budget.check("maxObjects", count);
      const offsets = new Map<number, number>();
      let i = 0;
      for (let k = 0; k < count; k++) {
        if ((k & 0xfff) === 0) this.budget.tick();
        const n = readInt(data, skipWhitespace(data, i));
        const off = n && readInt(data, skipWhitespace(data, n.end));
        if (!n || !off) throw new PdfSyntaxError(`bad object stream ${streamNumber} header`);
        offsets.set(n.value, first + off.value);
        i = off.end;
      }
      objStm = { data, offsets };
      this.objectStreams.set(streamNumber, objStm);
    }
    return objStm;
  }

  /** The page tree root and its reference (pages are appended there). */
  get pagesRef(): PDFRef {
    const ref = this.catalog.get(PDFName.of("Pages"));
    if (!(ref instanceof PDFRef)) throw new PdfSyntaxError("catalog has no /Pages reference");
    return ref;
  }

  /**
   * Pages counted by walking the page tree, not read from /Count: a file may
   * claim two billion pages. A node seen twice (a loop) is an error.
   */
  get pageCount(): number {
    let count = 0;
    const seen = new Set<number>();
    const stack: Array<{ node: PDFObject | undefined; depth: number }> = [{ node: this.pagesRef, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      this.budget.tick();
      this.budget.check("maxNestingDepth", depth);
      if (node instanceof PDFRef) {
        if (seen.has(node.objectNumber)) throw new PdfSyntaxError("the page tree has a loop");
        seen.add(node.objectNumber);
      }
      const dict = this.resolve(node);
      if (!(dict instanceof PDFDict)) throw new PdfSyntaxError("page tree node is not a dictionary");
      const kids = this.lookup(dict, "Kids");
      const type = this.lookup(dict, "Type");
      if (kids instanceof PDFArray && type !== PDFName.of("Page")) {
        this.budget.check("maxPages", count + stack.length + kids.size());
        for (const kid of kids.asArray()) stack.push({ node: kid, depth: depth + 1 });
      } else if (type !== PDFName.of("Pages")) {
        count++;
        this.budget.check("maxPages", count);
      }
    }
    return count;
  }

  /** The first leaf page: where an invisible signature widget is attached. */
  firstPage(): { ref: PDFRef; dict: PDFDict } {
    let ref: PDFObject | undefined = this.pagesRef;
    for (let depth = 0; depth < 64; depth++) {
      if (!(ref instanceof PDFRef)) break;
      const node = this.dict(ref, "page tree node");
      const kids = this.lookup(node, "Kids");
      if (!(kids instanceof PDFArray)) return { ref, dict: node };
      ref = kids.get(0);
    }
    throw new PdfSyntaxError("cannot find the first page");
  }
}

export const isPdfArray = (o: PDFObject | undefined): o is PDFArray => o instanceof PDFArray;
