/**
 * When a failed delivery is tried again: after try n fails, the next one
 * waits `deliveryDelaysMs[n - 1]`. Eight tries spread over about 41 hours,
 * so a receiver down for a day still gets every event.
 */
export const deliveryDelaysMs = [
  60_000, // 1 min
  5 * 60_000, // 5 min
  30 * 60_000, // 30 min
  2 * 3_600_000, // 2 h
  5 * 3_600_000, // 5 h
  10 * 3_600_000, // 10 h
  24 * 3_600_000, // 24 h
] as const;

export const maxDeliveryAttempts = deliveryDelaysMs.length + 1;

export const deliveryBackoffMs = (attempt: number): number => deliveryDelaysMs[Math.min(Math.max(attempt, 1), deliveryDelaysMs.length) - 1]!;
