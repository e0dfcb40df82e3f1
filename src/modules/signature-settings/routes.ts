import type { RouteModule } from "../../platform/http/server.js";
import { updateSignatureSettings } from "./commands/update-signature-settings.js";
import { getSignatureSettings } from "./queries.js";
import { signatureSettingsResponse, updateSignatureSettingsBody, type UpdateSignatureSettingsInput } from "./schemas.js";

const tags = ["signature settings"];

/** `GET|PUT /api/settings/signature` (the connection test belongs to the provider it tests). */
export const signatureSettingsRoutes: RouteModule = async (app) => {
  app.get(
    "/api/settings/signature",
    { config: { permission: "settings:read" }, schema: { tags, summary: "Global signature settings (the password is never returned)", response: { 200: signatureSettingsResponse } } },
    async () => getSignatureSettings(app.ctx),
  );

  app.put(
    "/api/settings/signature",
    {
      config: { permission: "settings:write" },
      schema: {
        tags,
        summary: "Change the global signature settings; omitted fields keep their value, servicePassword is write-only",
        body: updateSignatureSettingsBody,
        response: { 200: signatureSettingsResponse },
      },
    },
    async (request) => updateSignatureSettings(app.ctx, request.actor!, request.body),
  );

};
