export { getSignatureSettings, presentSignatureSettings } from "./queries.js";
export { updateSignatureSettings } from "./commands/update-signature-settings.js";
export { testSignatureConnection } from "../providers/totvs-sign/commands/test-connection.js";
export { totvsSignProvider } from "../providers/totvs-sign/from-settings.js";
export { signatureSettingsRoutes } from "./routes.js";
export { signatureSettingsPages } from "./pages.js";
export { defaultTotvsSignUrls, urlProblem, isLoopbackHost } from "./schemas.js";
export type { SignatureSettings, SignatureProviderName, UpdateSignatureSettingsInput } from "./schemas.js";
