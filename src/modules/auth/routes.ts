import { z } from "zod";
import type { RouteModule } from "../../platform/http/server.js";
import { idField } from "../../platform/validation/fields.js";
import { notFound } from "../../platform/errors.js";
import { createApiToken } from "./commands/create-api-token.js";
import { createUser } from "./commands/create-user.js";
import { unlockSignIn } from "./commands/sign-in.js";
import { revokeApiToken } from "./commands/revoke-api-token.js";
import { updateUser } from "./commands/update-user.js";
import { presentToken, presentUser } from "./presenters.js";
import { findUserById, listApiTokens, listUsers } from "./queries.js";
import { createTokenBody, createUserBody, updateUserBody } from "./schemas.js";

const idParams = z.strictObject({ id: idField });
const tags = ["users and tokens"];

export const authApiRoutes: RouteModule = (app) => {
  app.get("/api/me", { schema: { tags, summary: "Who am I" } }, async (request) => {
    const actor = request.actor!;
    if (actor.kind !== "user") throw notFound("User");
    return presentUser((await findUserById(app.ctx, actor.id))!);
  });

  const manageUsers = { permission: "users:manage" as const };
  app.get("/api/users", { config: manageUsers, schema: { tags } }, async () => ({ items: (await listUsers(app.ctx)).map(presentUser), nextCursor: null }));
  app.post("/api/users", { config: manageUsers, schema: { tags, body: createUserBody } }, async (request, reply) => {
    reply.status(201);
    return presentUser(await createUser(app.ctx, request.body));
  });
  app.get("/api/users/:id", { config: manageUsers, schema: { tags, params: idParams } }, async (request) => {
    const user = await findUserById(app.ctx, request.params.id);
    if (!user) throw notFound("User");
    return presentUser(user);
  });
  app.patch("/api/users/:id", { config: manageUsers, schema: { tags, params: idParams, body: updateUserBody } }, async (request) =>
    presentUser(await updateUser(app.ctx, request.actor!, request.params.id, request.body)),
  );
  app.post("/api/users/:id/unlock", {
    config: manageUsers,
    schema: { tags, summary: "Unlock a user's sign-in (forgets the wrong passwords counted against the e-mail)", params: idParams, response: { 200: z.object({ id: z.string(), email: z.string(), unlocked: z.boolean() }) } },
  }, async (request) => {
    const user = await findUserById(app.ctx, request.params.id);
    if (!user) throw notFound("User");
    return { id: user.id, email: user.email, unlocked: await unlockSignIn(app.ctx, user.email) };
  });

  const manageTokens = { permission: "tokens:manage" as const };
  app.get("/api/tokens", { config: manageTokens, schema: { tags } }, async () => ({ items: (await listApiTokens(app.ctx)).map(presentToken), nextCursor: null }));
  app.post("/api/tokens", { config: manageTokens, schema: { tags, summary: "Create an API token (shown once)", body: createTokenBody } }, async (request, reply) => {
    const { token, record } = await createApiToken(app.ctx, request.body);
    reply.status(201);
    return { token, ...presentToken(record) };
  });
  app.delete("/api/tokens/:id", { config: manageTokens, schema: { tags, params: idParams } }, async (request, reply) => {
    await revokeApiToken(app.ctx, request.params.id);
    return reply.status(204).send();
  });
};
