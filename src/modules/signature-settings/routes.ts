import { localeOf } from "../../platform/i18n/index.js";
import type { RouteModule } from "../../platform/http/server.js";
import { taeAuthorRoutes } from "../providers/totvs-sign/accounts/routes.js";
import { testSignatureConnection } from "../providers/totvs-sign/commands/test-connection.js";
import { updateSignatureSettings } from "./commands/update-signature-settings.js";
import { getSignatureSettings } from "./queries.js";
import { connectionTestResponse, signatureSettingsResponse, updateSignatureSettingsBody, type UpdateSignatureSettingsInput } from "./schemas.js";

const tags = ["signature settings"];

/** `/api/settings/signature*` and, through taeAuthorRoutes, `/api/me/totvs-sign*`. */
export const signatureSettingsRoutes: RouteModule = async (app, ctx) => {
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
    async (request) => updateSignatureSettings(app.ctx, request.actor!, request.body as UpdateSignatureSettingsInput),
  );

  app.post(
    "/api/settings/signature/test",
    { config: { permission: "settings:write" }, schema: { tags, summary: "Sign in to TOTVS Sign with the saved service user", response: { 200: connectionTestResponse } } },
    async (request) => testSignatureConnection(app.ctx, { locale: localeOf(request) }),
  );

  await taeAuthorRoutes(app, ctx);
};
