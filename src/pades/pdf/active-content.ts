/**
 * Finds actions that run when a PDF is opened or touched: JavaScript (in the
 * /Names tree, /OpenAction, /AA, links, form fields) and /Launch actions.
 *
 * A byte search finds candidates quickly but would also match random bytes
 * inside images; so each candidate is confirmed on the parsed object that
 * holds it (its dictionaries only, never its stream data). Objects inside
 * object streams are searched the same way in their decoded text. Objects
 * that only an older revision references do not act and are not searched.
 */
import { PDFArray, PDFDict, PDFName, PDFObject, PDFRawStream } from "pdf-lib";
import type { PdfStructure } from "./structure.js";

const MARKERS = ["/JavaScript", "/JS", "/Launch"].map((m) => Buffer.from(m, "latin1"));
const JS = PDFName.of("JS");
const JAVASCRIPT = PDFName.of("JavaScript");
const LAUNCH = PDFName.of("Launch");
const S = PDFName.of("S");

/** "JavaScript" or "Launch" when the file holds such an action; undefined otherwise. */
export function findActiveContent(doc: PdfStructure): "JavaScript" | "Launch" | undefined {
  const offsets: Array<{ offset: number; objectNumber: number }> = [];
  const streams = new Set<number>();
  for (const [objectNumber, entry] of doc.xref.entries) {
    if (entry.kind === "offset") offsets.push({ offset: entry.offset, objectNumber });
    else if (entry.kind === "compressed") streams.add(entry.streamNumber);
  }
  offsets.sort((a, b) => a.offset - b.offset);
  const checked = new Set<number>();
  const bytes = Buffer.from(doc.bytes.buffer, doc.bytes.byteOffset, doc.bytes.length);
  for (const marker of MARKERS) {
    for (let at = bytes.indexOf(marker); at >= 0; at = bytes.indexOf(marker, at + 1)) {
      doc.budget.tick();
      const holder = containing(offsets, at);
      if (holder === undefined || checked.has(holder)) continue;
      checked.add(holder);
      const found = actionIn(doc.getObject(holder));
      if (found) return found;
    }
  }
  for (const streamNumber of streams) {
    const objStm = doc.objectStream(streamNumber);
    const data = Buffer.from(objStm.data.buffer, objStm.data.byteOffset, objStm.data.length);
    if (!MARKERS.some((m) => data.includes(m))) continue;
    for (const objectNumber of objStm.offsets.keys()) {
      doc.budget.tick();
      const entry = doc.xref.entries.get(objectNumber);
      if (entry?.kind !== "compressed" || entry.streamNumber !== streamNumber) continue;
      const found = actionIn(doc.getObject(objectNumber));
      if (found) return found;
    }
  }
  return undefined;
}

/** The object whose "N G obj" starts last before `at` (binary search). */
function containing(offsets: Array<{ offset: number; objectNumber: number }>, at: number): number | undefined {
  let lo = 0;
  let hi = offsets.length - 1;
  let best: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]!.offset <= at) {
      best = offsets[mid]!.objectNumber;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** Walks direct dictionaries and arrays (a stream's dictionary, never its data). */
function actionIn(object: PDFObject | undefined, depth = 0): "JavaScript" | "Launch" | undefined {
  if (depth > 64 || object === undefined) return undefined;
  const dict = object instanceof PDFRawStream ? object.dict : object;
  if (dict instanceof PDFDict) {
    const type = dict.get(S);
    if (type === JAVASCRIPT || dict.has(JS) || dict.has(JAVASCRIPT)) return "JavaScript";
    if (type === LAUNCH) return "Launch";
    for (const [, value] of dict.entries()) {
      const found = actionIn(value, depth + 1);
      if (found) return found;
    }
  } else if (dict instanceof PDFArray) {
    for (const item of dict.asArray()) {
      const found = actionIn(item, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
