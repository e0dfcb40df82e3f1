import type { RouteModule } from "../../../platform/http/server.js";
export const projectSignatureSettingsPages: RouteModule = () => {};
