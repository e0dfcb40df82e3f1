/**
 * Each record kind's lifecycle: the allowed moves and the states in which
 * its fields may still change. One table, read by transitions, patches and
 * (later) by automatic sending and gating.
 */
export type RecordKind = "projects" | "parties" | "contracts" | "amendments" | "periods" | "measurements" | "advances";

export interface Lifecycle {
  initial: string;
  transitions: Record<string, readonly string[]>;
  editable: readonly string[];
}

export const lifecycles: Partial<Record<RecordKind, Lifecycle>> = {
  projects: { initial: "active", transitions: { active: ["closed"], closed: [] }, editable: ["active"] },
  contracts: {
    initial: "draft",
    transitions: {
      draft: ["approved", "cancelled"],
      approved: ["active", "cancelled"],
      active: ["closed", "cancelled"],
      closed: ["cancelled"],
      cancelled: [],
    },
    editable: ["draft"],
  },
  amendments: { initial: "draft", transitions: { draft: ["approved"], approved: ["applied"], applied: [] }, editable: ["draft"] },
  periods: { initial: "open", transitions: { open: ["closed"], closed: ["released"], released: [] }, editable: ["open"] },
  measurements: { initial: "draft", transitions: { draft: ["approved"], approved: ["released"], released: [] }, editable: ["draft"] },
  advances: { initial: "requested", transitions: { requested: ["approved"], approved: ["paid"], paid: [] }, editable: ["requested"] },
};

/** Singular names, as the domain and the process keys use them. */
export const singular: Record<RecordKind, string> = {
  projects: "project",
  parties: "party",
  contracts: "contract",
  amendments: "amendment",
  periods: "period",
  measurements: "measurement",
  advances: "advance",
};

export function allowedMoves(kind: RecordKind, from: string): readonly string[] {
  return lifecycles[kind]?.transitions[from] ?? [];
}

export function isEditable(kind: RecordKind, status: string | undefined): boolean {
  const lifecycle = lifecycles[kind];
  return !lifecycle || status === undefined || lifecycle.editable.includes(status);
}
