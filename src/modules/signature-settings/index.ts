export { getSignatureSettings, presentSignatureSettings } from "./queries.js";
export { updateSignatureSettings } from "./commands/update-signature-settings.js";
export { signatureSettingsRoutes } from "./routes.js";
export { signatureSettingsPages, showSettings, renderForbidden } from "./pages.js";
export { signatureMessages } from "./messages.js";
export { readStoredSignatureSettings, type StoredSignatureSettings } from "./queries.js";
export { defaultTotvsSignUrls, urlProblem, isLoopbackHost } from "./schemas.js";
export type { SignatureSettings, SignatureProviderName, UpdateSignatureSettingsInput } from "./schemas.js";
