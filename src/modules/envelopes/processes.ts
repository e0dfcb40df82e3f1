import type { RecordKind } from "../records/lifecycles.js";

/** The processes whose documents go out for signature, and the record kind each one signs. */
export const processes = ["contract", "amendment", "period", "measurement", "advance"] as const;
export type Process = (typeof processes)[number];

export const recordKindOf: Record<Process, RecordKind> = {
  contract: "contracts",
  amendment: "amendments",
  period: "periods",
  measurement: "measurements",
  advance: "advances",
};

export const processOfKind = (kind: RecordKind): Process | null =>
  (Object.entries(recordKindOf).find(([, k]) => k === kind)?.[0] as Process | undefined) ?? null;
