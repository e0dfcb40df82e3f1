import type { ModuleManifest } from "../../platform/modules.js";
import { autoSendJob, queueAutomaticSends } from "./automation/auto-send.js";
import { lockSignedContract, requireSignatures } from "./automation/gating.js";
import { resolveDefaultRecipients } from "./default-recipients.js";
import { projectSignatureSettingsPages } from "./pages.js";
import { projectSignatureSettingsRoutes } from "./routes.js";

/**
 * Per-project signature rules: settings per process, default recipients,
 * automatic sending on a record's transition, and gating of the moves that
 * wait for signatures.
 */
export const signatureRulesModule: ModuleManifest = {
  name: "signature-rules",
  tables: ["project_signature_settings", "project_members"],
  routes: [projectSignatureSettingsRoutes, projectSignatureSettingsPages],
  jobs: [autoSendJob],
  hooks: {
    recordTransitionGuards: [requireSignatures],
    recordTransitionEffects: [queueAutomaticSends],
    envelopeStatusListeners: [lockSignedContract],
    defaultRecipientResolvers: [resolveDefaultRecipients],
  },
};
