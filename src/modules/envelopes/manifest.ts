import type { ModuleManifest } from "../../platform/modules.js";
import { refreshEnvelopesJob, scheduledRefresh } from "./refresh/job.js";
import { refreshRoutes } from "./refresh/routes.js";
import { sendEnvelopeJob } from "./jobs/send-envelope.js";
import { envelopeRoutes } from "./routes.js";
import { scheduledSealRenewal } from "./commands/renew-seals.js";

/** Envelopes: create, send, cancel, recipients, files, history, the refresh process and the monitor's list. */
export const envelopesModule: ModuleManifest = {
  name: "envelopes",
  tables: ["envelopes", "envelope_files", "recipients", "envelope_events", "recipient_directory", "envelopes_name_fts"],
  routes: [envelopeRoutes, refreshRoutes],
  jobs: [sendEnvelopeJob, refreshEnvelopesJob],
  // The scheduled refresh queues nothing when OBRASIGN_REFRESH_EVERY_MINUTES is 0.
  // The seal renewal sweep runs only with a TSA configured (OBRASIGN_TSA_URL).
  schedules: [scheduledRefresh, scheduledSealRenewal],
};
