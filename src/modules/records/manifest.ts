import type { ModuleManifest } from "../../platform/modules.js";
import { recordRoutes } from "./routes.js";

/** Projects, parties, contracts and the records of a contract's life. */
export const recordsModule: ModuleManifest = {
  name: "records",
  tables: [
    "projects", "parties", "party_contacts", "contracts", "contract_items", "amendments", "amendment_items",
    "periods", "measurements", "measurement_lines", "advances", "record_events",
  ],
  routes: [recordRoutes],
};
