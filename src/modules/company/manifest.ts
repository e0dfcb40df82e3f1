import type { ModuleManifest } from "../../platform/modules.js";
import { companyRoutes } from "./routes.js";

/** The company's identity (name and logo) that mails and the signing page show. */
export const companyModule: ModuleManifest = {
  name: "company",
  tables: [],
  routes: [companyRoutes],
};
