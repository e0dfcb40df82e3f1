export { createTotvsSignProvider, loginTaeUser } from "./provider.js";
export type { TotvsSignConfig, TotvsSignProvider } from "./provider.js";
export { TaeError } from "./client.js";
export type { TaeLog, FailureKind } from "./client.js";
export type { TokenGrant } from "./session.js";
