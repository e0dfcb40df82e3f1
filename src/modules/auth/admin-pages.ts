import type { FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { AppError } from "../../platform/errors.js";
import { sendErrorPage, zodFields } from "../../platform/http/errors.js";
import { looseFields, optionalForm, pathParams } from "../../platform/http/page-schemas.js";
import type { RouteModule } from "../../platform/http/server.js";
import { formatMoment } from "../../platform/i18n/dates.js";
import { format, localeOf } from "../../platform/i18n/index.js";
import { generatePassword } from "../../platform/crypto/passwords.js";
import { renderPage } from "../../platform/views/render.js";
import { resetPassword } from "./commands/account.js";
import { signInLockedUntil, unlockSignIn } from "./commands/sign-in.js";
import { createApiToken } from "./commands/create-api-token.js";
import { createUser } from "./commands/create-user.js";
import { inviteUser } from "./commands/invitations.js";
import { revokeApiToken } from "./commands/revoke-api-token.js";
import { updateUser } from "./commands/update-user.js";
import { authMessages } from "./messages.js";
import { requirePagePermission as allowed } from "./pages.js";
import { listApiTokens, listUsers } from "./queries.js";

const isId = (v: string) => /^[0-9a-f-]{36}$/i.test(v);
const field = (body: Record<string, unknown> | undefined, name: string) => (typeof body?.[name] === "string" ? (body[name] as string).trim() : "");


/** A refused form: the message and the fields at fault, in the reader's language. */
function refusal(request: FastifyRequest, error: unknown): { formError: string; errors: Record<string, string>; status: number } {
  const locale = localeOf(request);
  if (error instanceof ZodError) return { formError: authMessages(locale).fixErrors, errors: zodFields(error, locale), status: 400 };
  if (error instanceof AppError) return { formError: error.messageIn(locale), errors: error.fieldsIn(locale) ?? {}, status: error.status };
  throw error;
}

async function showUsers(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const ctx = request.server.ctx;
  const users = await listUsers(ctx);
  // Whose sign-in the throttle holds locked (wrong passwords), for the unlock button.
  const locks = Object.fromEntries(await Promise.all(users.map(async (u) => [u.id, await signInLockedUntil(ctx, u.email)] as const)));
  return renderPage(request, reply, "/modules/auth/views/users.eta", {
    a: authMessages(locale), users, locks, date: (iso: string | null) => formatMoment(locale, iso), values: {}, errors: {}, saved: (request.query as { saved?: string } | undefined)?.saved === "1", ...extra,
  });
}

async function showTokens(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const ctx = request.server.ctx;
  const [tokens, users] = await Promise.all([listApiTokens(ctx), listUsers(ctx)]);
  return renderPage(request, reply, "/modules/auth/views/tokens.eta", {
    a: authMessages(locale), tokens, users: users.filter((u) => !u.disabled_at), date: (iso: string | null) => formatMoment(locale, iso), values: {}, errors: {},
    revoked: (request.query as { revoked?: string } | undefined)?.revoked === "1", ...extra,
  });
}

/** `/settings/users` and `/settings/tokens`: running the company's accounts from the pages (admin). */
export const adminPages: RouteModule = (app) => {
  const ctx = app.ctx;

  app.get("/settings/users", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!allowed(request, reply, "users:manage")) return reply;
    return showUsers(request, reply);
  });

  app.post("/settings/users", { schema: { hide: true, body: optionalForm } }, async (request, reply) => {
    if (!allowed(request, reply, "users:manage")) return reply;
    const a = authMessages(localeOf(request));
    const values = { name: field(request.body, "name"), email: field(request.body, "email"), role: field(request.body, "role") || "manager", access: field(request.body, "access") || "invitation" };
    try {
      const password = values.access === "password" ? generatePassword() : undefined;
      const user = await createUser(ctx, { name: values.name, email: values.email, role: values.role as never, ...(password ? { password } : {}) });
      reply.status(201);
      if (password) return showUsers(request, reply, { secretNotice: format(a.oneTimePassword, { email: user.email, password }) });
      const { link } = await inviteUser(ctx, request.actor!, user.id);
      return showUsers(request, reply, { notice: format(a.invited, { email: user.email, link }) });
    } catch (error) {
      const { formError, errors, status } = refusal(request, error);
      reply.status(status);
      return showUsers(request, reply, { values, errors, formError });
    }
  });

  app.post("/settings/users/:id", { schema: { hide: true, params: pathParams("id"), body: optionalForm } }, async (request, reply) => {
    if (!allowed(request, reply, "users:manage")) return reply;
    const { id } = request.params;
    if (!isId(id)) return sendErrorPage(request, reply, { status: 404, message: { "pt-BR": "Usuário não encontrado.", en: "User not found" } });
    const a = authMessages(localeOf(request));
    const action = field(request.body, "do");
    try {
      if (action === "reset") {
        const { password, email } = await resetPassword(ctx, id);
        return showUsers(request, reply, { secretNotice: format(a.oneTimePassword, { email, password }) });
      }
      if (action === "unlock") {
        const user = (await listUsers(ctx)).find((u) => u.id === id);
        if (!user) return sendErrorPage(request, reply, { status: 404, message: { "pt-BR": "Usuário não encontrado.", en: "User not found" } });
        await unlockSignIn(ctx, user.email);
        return showUsers(request, reply, { notice: format(a.unlocked, { email: user.email }) });
      }
      if (action === "invite") {
        const { link } = await inviteUser(ctx, request.actor!, id);
        const user = (await listUsers(ctx)).find((u) => u.id === id)!;
        return showUsers(request, reply, { notice: format(a.invited, { email: user.email, link }) });
      }
      if (action === "disable" || action === "enable") await updateUser(ctx, request.actor!, id, { disabled: action === "disable" });
      else await updateUser(ctx, request.actor!, id, { role: field(request.body, "role") as never });
    } catch (error) {
      const { formError, status } = refusal(request, error);
      reply.status(status);
      return showUsers(request, reply, { formError });
    }
    return reply.redirect("/settings/users?saved=1", 303);
  });

  app.get("/settings/tokens", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!allowed(request, reply, "tokens:manage")) return reply;
    return showTokens(request, reply);
  });

  app.post("/settings/tokens", { schema: { hide: true, body: optionalForm } }, async (request, reply) => {
    if (!allowed(request, reply, "tokens:manage")) return reply;
    const a = authMessages(localeOf(request));
    const values = { email: field(request.body, "email"), name: field(request.body, "name") };
    try {
      const { token, record } = await createApiToken(ctx, { email: values.email, ...(values.name ? { name: values.name } : {}) });
      reply.status(201);
      return showTokens(request, reply, { created: { text: format(a.tokenCreated, { name: record.name, email: record.email }), token } });
    } catch (error) {
      const { formError, errors, status } = refusal(request, error);
      reply.status(status);
      return showTokens(request, reply, { values, errors, formError });
    }
  });

  app.post("/settings/tokens/:id/revoke", { schema: { hide: true, params: pathParams("id"), body: optionalForm } }, async (request, reply) => {
    if (!allowed(request, reply, "tokens:manage")) return reply;
    if (!isId(request.params.id)) return sendErrorPage(request, reply, { status: 404, message: { "pt-BR": "Token não encontrado.", en: "Token not found" } });
    await revokeApiToken(ctx, request.params.id);
    return reply.redirect("/settings/tokens?revoked=1", 303);
  });
};
