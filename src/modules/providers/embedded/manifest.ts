import type { ModuleManifest } from "../../../platform/modules.js";
import { completeEnvelopeJob, embeddedSchedules } from "./jobs.js";
import { embeddedProvider } from "./provider.js";
import { signingRoutes } from "./routes.js";
import { mailCancelledRecipients } from "./notify-ended.js";

/** The built-in provider: signing pages, one-time codes, invitations and reminders, the sealed final file. */
export const embeddedProviderModule: ModuleManifest = {
  name: "providers/embedded",
  tables: ["signing_codes"],
  routes: [signingRoutes],
  jobs: [completeEnvelopeJob],
  schedules: embeddedSchedules,
  providers: [{ name: "embedded", create: embeddedProvider }],
  hooks: { envelopeStatusListeners: [mailCancelledRecipients] },
};
