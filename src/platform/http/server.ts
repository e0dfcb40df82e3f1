import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, {
  LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault,
} from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { ZodError, type ZodType } from "zod";
import { guardStrings, withoutControlCharacters } from "../validation/strings.js";
import type { Actor, AppContext } from "../context.js";
import { answerLocale, errorHandler, httpMessages, notFoundHandler } from "./errors.js";
import { registerCsrf, registerSecurityHeaders } from "./security.js";
import { sessionCookie } from "./session-cookie.js";

export { sessionCookie };

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    ctx: AppContext;
  }
}

/** How requests are authenticated and routes authorized: the auth module provides it (app.ts wires it in). */
export interface RequestAccess {
  /** The actor behind a bearer token or a session cookie's secret; null when neither is valid. */
  actorOf(ctx: AppContext, credentials: { bearer: string } | { session: string }): Promise<Actor | null>;
  /** Throws (401/403) unless the actor holds the route's `config.permission`. */
  authorize(actor: Actor | null, permission: string): void;
}

export type App = FastifyInstance;
/** The server as routes see it: zod schemas type `request.params`, `query` and `body`. */
export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
export type RouteModule = (app: TypedApp, ctx: AppContext) => Promise<void> | void;

const isPublicApi = (path: string) => publicApiPrefixes.some((p) => path.startsWith(p));

async function resolveActor(ctx: AppContext, access: RequestAccess, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header) {
    request.credentials = "bearer";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? access.actorOf(ctx, { bearer: match[1]! }) : null;
  }
  const secret = request.cookies[sessionCookie];
  // The public APIs answer by link or to anyone: a browser's session is no credential there.
  if (!secret || isPublicApi(request.url.split("?")[0]!)) return null;
  request.credentials = "session";
  return access.actorOf(ctx, { session: secret });
}

export async function buildServer(ctx: AppContext, options: { routes: readonly RouteModule[]; access: RequestAccess }): Promise<FastifyInstance> {
  const { access } = options;
  const app = Fastify({
    loggerInstance: ctx.log,
    // Off unless OBRASIGN_TRUST_PROXY names the proxies: X-Forwarded-For from anyone else is not evidence.
    // (A hop count is supported at run time; Fastify's types leave the number out.)
    trustProxy: (ctx.config.trustProxy ?? false) as boolean | string[],
    bodyLimit: 12 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    // One JSON line per request is noise at "info"; LOG_LEVEL=debug shows them.
    logController: new LogController({ disableRequestLogging: !ctx.log.isLevelEnabled("debug") }),
    ajv: { customOptions: { coerceTypes: false } },
  });
  app.decorate("ctx", ctx);
  app.decorateRequest("actor", null);
  app.decorateRequest("credentials", null);
  // Every route schema first applies the control-character rule (platform/validation/strings.ts).
  app.setValidatorCompiler((route) => validatorCompiler({ ...route, schema: guardStrings(route.schema as ZodType) }));
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  await registerSecurityHeaders(app as never);
  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024 + 1, files: 20, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      info: { title: "obrasign", version: "1", description: "Electronic signature for construction contract management" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  app.addHook("onRequest", async (request, reply) => {
    request.actor = await resolveActor(ctx, access, request);
    // Every /api route needs a signed-in actor, except the public signing and verification APIs.
    const path = request.url.split("?")[0]!;
    if (path.startsWith("/api/") && !isPublicApi(path) && !request.actor) {
      return reply.status(401).send({ error: { code: "unauthenticated", message: httpMessages("authRequired")[answerLocale(request)] } });
    }
  });
  await registerCsrf(app as never, ctx, { isPublicApi });
  // Routes declare their permission in `config.permission`; it is checked
  // before the body is validated, so a viewer learns "forbidden", not "invalid".
  app.addHook("preValidation", async (request) => {
    const permission = (request.routeOptions.config as { permission?: string }).permission;
    if (permission) access.authorize(request.actor, permission);
  });
  // The same rule for routes that read their body or query without a schema (the login form, page forms).
  app.addHook("preValidation", async (request) => {
    for (const [where, value] of [["query", request.query], ["body", request.body]] as const) {
      const result = withoutControlCharacters.safeParse(value);
      if (!result.success) {
        throw new ZodError(result.error.issues.map((issue) => ({ ...issue, path: issue.path.length ? issue.path : [where] })));
      }
    }
  });

  app.get("/health", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const register of options.routes) await register(typed as never, ctx);
  return app as unknown as FastifyInstance;
}

/** API paths that answer without an account: recipients sign by link, anyone may verify a PDF. */
export const publicApiPrefixes = ["/api/signing/", "/api/verify", "/api/providers/"];
