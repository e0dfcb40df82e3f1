import { AppError } from "../../platform/errors.js";
import type { Actor, Role } from "../../platform/context.js";

/**
 * What each role may do. Records, envelopes and settings belong to the one
 * company of an installation, so every signed-in user reads them; writing
 * and administration go by role.
 */
export type Permission =
  | "records:read"
  | "records:write"
  | "envelopes:read"
  | "envelopes:send"
  | "settings:read"
  | "settings:write"
  | "users:manage"
  | "tokens:manage";

const grants: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(["records:read", "envelopes:read", "settings:read"]),
  manager: new Set(["records:read", "records:write", "envelopes:read", "envelopes:send", "settings:read"]),
  admin: new Set(["records:read", "records:write", "envelopes:read", "envelopes:send", "settings:read", "settings:write", "users:manage", "tokens:manage"]),
};

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === "system") return true;
  return grants[actor.role].has(permission);
}

export function authorize(actor: Actor | null, permission: Permission): asserts actor is Actor {
  if (!actor) throw new AppError("unauthenticated", "Authentication required");
  if (!can(actor, permission)) throw new AppError("forbidden", `Your role may not do this (${permission})`);
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The permission a route needs, checked before its body is validated (a viewer learns "forbidden", not "invalid"). */
    permission?: Permission;
  }
}
