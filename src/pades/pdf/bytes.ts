/**
 * Byte-level helpers for targeted PDF parsing. PDF syntax is ASCII inside a
 * binary file, so we compare bytes directly instead of decoding megabytes of
 * image data into strings.
 */

export const latin1 = (bytes: Uint8Array, start = 0, end = bytes.length): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, end - start)).toString("latin1");

export const ascii = (text: string): Uint8Array => Buffer.from(text, "latin1");

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
export const isWhitespace = (byte: number): boolean => WHITESPACE.has(byte);

export function skipWhitespace(bytes: Uint8Array, offset: number): number {
  let i = offset;
  for (;;) {
    while (i < bytes.length && isWhitespace(bytes[i])) i++;
    // Comments count as whitespace between tokens.
    if (bytes[i] === 0x25 /* % */) {
      while (i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i++;
      continue;
    }
    return i;
  }
}

export function startsWithAt(bytes: Uint8Array, offset: number, keyword: string): boolean {
  if (offset < 0 || offset + keyword.length > bytes.length) return false;
  for (let k = 0; k < keyword.length; k++) {
    if (bytes[offset + k] !== keyword.charCodeAt(k)) return false;
  }
  return true;
}

/** Last occurrence of `keyword` that starts at or after `from`. */
export function lastIndexOf(bytes: Uint8Array, keyword: string, from = 0): number {
  for (let i = bytes.length - keyword.length; i >= from; i--) {
    if (startsWithAt(bytes, i, keyword)) return i;
  }
  return -1;
}

/** Reads an unsigned decimal integer; returns it and the offset after it. */
export function readInt(bytes: Uint8Array, offset: number): { value: number; end: number } | undefined {
  let i = offset;
  let value = 0;
  while (i < bytes.length && bytes[i] >= 0x30 && bytes[i] <= 0x39) {
    value = value * 10 + (bytes[i] - 0x30);
    i++;
  }
  return i === offset ? undefined : { value, end: i };
}
