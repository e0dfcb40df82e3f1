import type { ModuleManifest } from "../../platform/modules.js";
import { webPages } from "./pages.js";
import { sendWizardPages } from "./send-wizard.js";

/** The pages a contract manager works in: projects, record pages, and the send wizard. */
export const webModule: ModuleManifest = { name: "web", tables: [], routes: [webPages, sendWizardPages] };
