import type { RouteModule } from "../../../platform/http/server.js";
import { localeOf } from "../../../platform/i18n/index.js";
import { renderPage } from "../../../platform/views/render.js";
import { requirePageUser } from "../../auth/pages.js";
import { can } from "../../auth/policies.js";
import { renderForbidden, showSettings, signatureMessages } from "../../signature-settings/index.js";
import { connectionTestResponse } from "../../signature-settings/schemas.js";
import { testSignatureConnection } from "./commands/test-connection.js";

/** "Testar conexão": signs in to TOTVS Sign with the saved service user (API and the settings page's button). */
export const totvsSignConnectionRoutes: RouteModule = async (app) => {
  app.post(
    "/api/settings/signature/test",
    { config: { permission: "settings:write" }, schema: { tags: ["signature settings"], summary: "Sign in to TOTVS Sign with the saved service user", response: { 200: connectionTestResponse } } },
    async (request) => testSignatureConnection(app.ctx, { locale: localeOf(request) }),
  );

  app.post("/settings/signature/test", { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const locale = localeOf(request);
    const s = signatureMessages(locale);
    if (!can(request.actor!, "settings:write")) return renderForbidden(request, reply, s.settingsTitle);
    const testResult = await testSignatureConnection(app.ctx, { locale });
    if (request.headers["hx-request"] === "true") {
      return renderPage(request, reply, "/modules/signature-settings/views/test-result.eta", { s, testResult });
    }
    return showSettings(request, reply, { testResult });
  });
};
