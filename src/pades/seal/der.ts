/**
 * Minimal DER writer/reader for the fixed shapes of a CMS signature. The
 * general-purpose route (pkijs objects → toBER) re-parses and re-encodes the
 * certificates on every seal, which cost more than the RSA operation itself;
 * here certificates are embedded as the exact bytes we were given.
 */
import * as asn1js from "asn1js";

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(contents);
  return Buffer.concat([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const seq = (...items: Uint8Array[]) => tlv(0x30, ...items);
export const set = (...items: Uint8Array[]) => tlv(0x31, ...items);
export const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
export const int = (n: number) => tlv(0x02, Uint8Array.of(n));
export const NULL = Uint8Array.of(0x05, 0x00);
export const oid = (dotted: string): Uint8Array => new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER());

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  end: number;
}

export function readTlv(bytes: Uint8Array, offset: number): Tlv {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i];
    contentStart += count;
  }
  return { tag, start: offset, contentStart, end: contentStart + length };
}

export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; at = out[out.length - 1].end) out.push(readTlv(bytes, at));
  return out;
}

/** The issuer Name and serialNumber of a certificate, as their original encodings. */
export function issuerAndSerial(certDer: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const tbs = children(certDer, readTlv(certDer, 0))[0];
  const fields = children(certDer, tbs);
  const at = fields[0].tag === 0xa0 ? 1 : 0; // [0] version is optional
  const slice = (t: Tlv) => certDer.subarray(t.start, t.end);
  return { serial: slice(fields[at]), issuer: slice(fields[at + 2]) };
}
