import { randomBytes } from "node:crypto";

/**
 * UUIDv7: time-ordered, so ids sort by creation and serve as keyset
 * pagination cursors on both databases without a second sort column.
 */
let lastMs = 0;
let sequence = 0;

export function newId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    sequence++;
    ms = lastMs;
  } else {
    sequence = 0;
    lastMs = ms;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  // 12 bits of sequence keep ids from the same millisecond in order.
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
