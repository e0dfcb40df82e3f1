/**
 * Reading and writing single PDF objects. We reuse pdf-lib's object parser
 * and object classes (so dictionaries we rewrite serialize exactly like
 * pdf-lib would) but drive it ourselves at known offsets, instead of letting
 * pdf-lib scan the whole file: that scan costs hundreds of milliseconds on a
 * 10 MB upload and re-saving would break signatures made elsewhere.
 */
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObject,
  PDFObjectParser,
  PDFRef,
  PDFString,
} from "pdf-lib";
import { ascii, readInt, skipWhitespace, startsWithAt } from "./bytes.js";
import { defaultPdfLimits, PdfLimitError } from "./limits.js";

// pdf-lib's parser needs a context to attach objects to; objects never
// reference it once parsed, so one shared context is enough.
const sharedContext = PDFContext.create();

export class PdfSyntaxError extends Error {}

/**
 * Parses the direct object starting at `offset`. pdf-lib's parser recurses
 * into arrays and dictionaries without a bound; counting the depth here turns
 * a file of 100 000 nested brackets into a clear refusal, not a stack overflow.
 */
export function parseObjectAt(bytes: Uint8Array, offset: number, maxDepth = defaultPdfLimits.maxNestingDepth): PDFObject {
  const parser = PDFObjectParser.forBytes(bytes, sharedContext);
  (parser as unknown as { bytes: { moveTo(n: number): void } }).bytes.moveTo(offset);
  const parseOne = PDFObjectParser.prototype.parseObject;
  let depth = 0;
  // parseArray and parseDict call this.parseObject: the instance property wins.
  parser.parseObject = function (this: PDFObjectParser) {
    if (++depth > maxDepth) throw new PdfLimitError("maxNestingDepth", maxDepth);
    try {
      return parseOne.call(this);
    } finally {
      depth--;
    }
  };
  return parser.parseObject();
}

/** Parses "N G obj <object>" at `offset` and checks the object number. */
export function parseIndirectObjectAt(
  bytes: Uint8Array,
  offset: number,
  expectedNumber?: number,
  maxDepth?: number,
): { ref: PDFRef; object: PDFObject } {
  let i = skipWhitespace(bytes, offset);
  const num = readInt(bytes, i);
  if (!num) throw new PdfSyntaxError(`no object at offset ${offset}`);
  i = skipWhitespace(bytes, num.end);
  const gen = readInt(bytes, i);
  if (!gen) throw new PdfSyntaxError(`no object header at offset ${offset}`);
  i = skipWhitespace(bytes, gen.end);
  if (!startsWithAt(bytes, i, "obj")) throw new PdfSyntaxError(`no "obj" keyword at offset ${offset}`);
  if (expectedNumber !== undefined && num.value !== expectedNumber) {
    throw new PdfSyntaxError(`expected object ${expectedNumber} at offset ${offset}, found ${num.value}`);
  }
  return { ref: PDFRef.of(num.value, gen.value), object: parseObjectAt(bytes, i + 3, maxDepth) };
}

export function serializeObject(object: PDFObject): Uint8Array {
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

export function serializeIndirect(ref: PDFRef, body: PDFObject | Uint8Array): Uint8Array {
  const bodyBytes = body instanceof Uint8Array ? body : serializeObject(body);
  return Buffer.concat([
    ascii(`${ref.objectNumber} ${ref.generationNumber} obj\n`),
    bodyBytes,
    ascii("\nendobj\n"),
  ]);
}

/** A PDF text string: literal when plain ASCII, UTF-16BE hex otherwise. */
export function textString(text: string): PDFString | PDFHexString {
  return /^[\x20-\x7e]*$/.test(text) ? PDFString.of(escapeLiteral(text)) : PDFHexString.fromText(text);
}

const escapeLiteral = (text: string): string => text.replace(/([\\()])/g, "\\$1");

export const name = (value: string): PDFName => PDFName.of(value);
export const num = (value: number): PDFNumber => PDFNumber.of(value);

export function newDict(entries: Record<string, PDFObject>): PDFDict {
  const dict = PDFDict.withContext(sharedContext);
  for (const [key, value] of Object.entries(entries)) dict.set(PDFName.of(key), value);
  return dict;
}

export function newArray(items: PDFObject[]): PDFArray {
  const array = PDFArray.withContext(sharedContext);
  for (const item of items) array.push(item);
  return array;
}

/** A shallow copy, so edits to a new version never touch the parsed original. */
export function cloneDict(dict: PDFDict): PDFDict {
  const copy = PDFDict.withContext(sharedContext);
  for (const [key, value] of dict.entries()) copy.set(key, value);
  return copy;
}

export function cloneArray(array: PDFArray): PDFArray {
  return newArray(array.asArray());
}

export function numberValue(object: PDFObject | undefined): number | undefined {
  return object instanceof PDFNumber ? object.asNumber() : undefined;
}
