import type { FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { AppError } from "../../platform/errors.js";
import { zodFields } from "../../platform/http/errors.js";
import type { RouteModule } from "../../platform/http/server.js";
import { localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { requirePageUser } from "../auth/pages.js";
import { can } from "../auth/policies.js";
import { updateSignatureSettings } from "./commands/update-signature-settings.js";
import { signatureMessages } from "./messages.js";
import { getSignatureSettings } from "./queries.js";
import { defaultSignerRoles, signatureProviders, signerRoleActions, type SignatureSettings, type UpdateSignatureSettingsInput } from "./schemas.js";
import { looseFields } from "../../platform/http/page-schemas.js";

const view = "/modules/signature-settings/views/settings.eta";

type FormValues = {
  provider: string; refreshStatusOnLoad: boolean; authUrl: string; apiUrl: string; webLoginUrl: string; serviceUser: string;
  companyCnpj: string; signerRoles: Record<string, string>;
};

const valuesOf = (s: SignatureSettings): FormValues => ({ provider: s.provider, refreshStatusOnLoad: s.refreshStatusOnLoad, ...s.totvsSign });

/** Form fields are flat (`signerRoles.sign` stays dotted); the API's are nested under totvsSign. */
const formField = (path: string) => path.replace(/^totvsSign\./, "");

export function renderForbidden(request: FastifyRequest, reply: FastifyReply, title: string) {
  reply.status(403);
  return renderPage(request, reply, "/modules/signature-settings/views/forbidden.eta", { s: signatureMessages(localeOf(request)), title });
}

export async function showSettings(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
  const ctx = request.server.ctx;
  const settings = await getSignatureSettings(ctx);
  const s = signatureMessages(localeOf(request));
  return renderPage(request, reply, view, {
    s,
    providerChoices: signatureProviders.map((value) => ({ value, label: s.providerLabels[value] })),
    values: valuesOf(settings),
    passwordSet: settings.totvsSign.servicePasswordSet,
    canWrite: can(request.actor!, "settings:write"),
    roleActions: signerRoleActions,
    defaultRoles: defaultSignerRoles,
    ...extra,
  });
}

/** The admin page "Integração com TOTVS Sign"; works without JavaScript, htmx only shortens the test round trip. */
export const signatureSettingsPages: RouteModule = async (app) => {
  app.get("/settings/signature", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    if (!can(request.actor!, "settings:read")) return renderForbidden(request, reply, signatureMessages(localeOf(request)).settingsTitle);
    return showSettings(request, reply, { saved: request.query.saved === "1" });
  });

  app.post("/settings/signature", { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const s = signatureMessages(localeOf(request));
    if (!can(request.actor!, "settings:write")) return renderForbidden(request, reply, s.settingsTitle);
    const form = (request.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
    const password = text("servicePassword");
    const input: UpdateSignatureSettingsInput = {
      provider: text("provider") as never,
      refreshStatusOnLoad: form.refreshStatusOnLoad === "on",
      totvsSign: {
        authUrl: text("authUrl"),
        apiUrl: text("apiUrl"),
        webLoginUrl: text("webLoginUrl"),
        serviceUser: text("serviceUser"),
        companyCnpj: text("companyCnpj"),
        signerRoles: Object.fromEntries(signerRoleActions.map((a) => [a, text(`signerRoles.${a}`)])),
        ...(form.clearPassword === "on" ? { servicePassword: null } : password !== "" ? { servicePassword: password } : {}),
      },
    };
    try {
      await updateSignatureSettings(app.ctx, request.actor!, input);
    } catch (error) {
      let fields: Record<string, string>;
      if (error instanceof ZodError) fields = zodFields(error, localeOf(request));
      else if (error instanceof AppError && error.fields) fields = error.fieldsIn(localeOf(request))!;
      else throw error;
      const errors = Object.fromEntries(Object.entries(fields).map(([k, v]) => [formField(k), v]));
      reply.status(error instanceof ZodError ? 400 : 422);
      // The submitted values come back, the password never does.
      const { totvsSign, ...top } = input;
      return showSettings(request, reply, { values: { ...top, ...totvsSign, servicePassword: undefined }, errors, formError: s.fixErrors });
    }
    return reply.redirect("/settings/signature?saved=1", 303);
  });

};

