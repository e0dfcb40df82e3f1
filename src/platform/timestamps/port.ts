/**
 * A time-stamp authority (RFC 3161): an external system that signs "this
 * digest existed at this time". The seal asks it twice per file: over the
 * signature value (PAdES B-T) and over the whole file (the B-LTA document
 * timestamp).
 */
export interface TimestampAuthority {
  /**
   * A TimeStampToken (the DER ContentInfo, exactly as the TSA sent it) over
   * `digest`, a SHA-256 hash. Throws TimestampUnavailable when no configured
   * TSA answered with a granted token.
   */
  timestamp(digest: Uint8Array): Promise<Uint8Array>;
}

export class TimestampUnavailable extends Error {
  override name = "TimestampUnavailable";
}

export interface TsaConfig {
  /** The TSA, then the fallback tried when it fails. */
  urls: string[];
  username?: string;
  password?: string;
  timeoutMs: number;
}
