import type { UsersTable } from "../../platform/db/schema.js";

export const presentUser = (u: UsersTable) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: u.created_at,
  disabled: u.disabled_at !== null,
});

export const presentToken = (t: {
  id: string; name: string; prefix: string; user_id: string; email: string;
  created_at: string; last_used_at: string | null; revoked_at: string | null;
}) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  userId: t.user_id,
  email: t.email,
  createdAt: t.created_at,
  lastUsedAt: t.last_used_at,
  revoked: t.revoked_at !== null,
});
