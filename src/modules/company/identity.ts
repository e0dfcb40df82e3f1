import { z } from "zod";
import type { Actor, AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { companyNameKey, readSettings, writeSetting } from "../../platform/settings.js";
import { authorize } from "../auth/policies.js";

/**
 * The company behind the installation, as recipients see it: its name and
 * logo head every mail and the signing page, so a supplier knows who asks
 * them to sign. Kept in `settings` (the logo's bytes in the blob store).
 */
export const companyLogoKey = "company.logo";
export const maxLogoBytes = 200_000;

export interface CompanyLogo {
  sha256: string;
  type: "image/png" | "image/jpeg";
  size: number;
}

export interface CompanyIdentity {
  name: string | null;
  logo: CompanyLogo | null;
}

const storedLogo = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), type: z.enum(["image/png", "image/jpeg"]), size: z.number() });

export async function companyIdentity(ctx: Pick<AppContext, "db">): Promise<CompanyIdentity> {
  const byKey = await readSettings(ctx.db, [companyNameKey, companyLogoKey]);
  const name = byKey.get(companyNameKey);
  const logo = storedLogo.safeParse(byKey.get(companyLogoKey));
  return { name: typeof name === "string" && name.trim() ? name.trim() : null, logo: logo.success ? logo.data : null };
}

/** Where pages and mails load the logo from; the hash in the address lets browsers keep it for long. */
export const companyLogoUrl = (ctx: AppContext, logo: CompanyLogo | null) => (logo ? `${ctx.config.publicUrl}/company/logo?v=${logo.sha256.slice(0, 12)}` : null);

export const presentCompany = (ctx: AppContext, identity: CompanyIdentity) => ({ name: identity.name, logoUrl: companyLogoUrl(ctx, identity.logo) });

export const updateCompanyBody = z.strictObject({
  name: z.string().trim().min(2, { message: "has at least 2 characters" }).max(200, { message: "has at most 200 characters" }),
});

export async function updateCompanyName(ctx: AppContext, actor: Actor, input: unknown) {
  authorize(actor, "settings:write");
  const body = updateCompanyBody.parse(input);
  await writeSetting(ctx.db, companyNameKey, body.name, ctx.clock.now());
  return presentCompany(ctx, await companyIdentity(ctx));
}

/** PNG or JPEG by their first bytes (never SVG: it can carry scripts), at most 200 KB. */
export function logoTypeOf(bytes: Uint8Array): CompanyLogo["type"] | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length > 8 && png.every((b, i) => bytes[i] === b)) return "image/png";
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  return null;
}

export async function setCompanyLogo(ctx: AppContext, actor: Actor, bytes: Uint8Array) {
  authorize(actor, "settings:write");
  if (bytes.length === 0) throw new AppError("validation", "logo: is required", { logo: "is required" });
  if (bytes.length > maxLogoBytes) throw new AppError("too_large", "logo: at most 200 KB", { logo: "at most 200 KB" });
  const type = logoTypeOf(bytes);
  if (!type) throw new AppError("unsupported_media_type", "logo: must be a PNG or JPEG image", { logo: "must be a PNG or JPEG image" });
  const stored = await ctx.blobs.put(bytes);
  await writeSetting(ctx.db, companyLogoKey, { sha256: stored.sha256, type, size: stored.size }, ctx.clock.now());
  return presentCompany(ctx, await companyIdentity(ctx));
}

export async function removeCompanyLogo(ctx: AppContext, actor: Actor) {
  authorize(actor, "settings:write");
  await writeSetting(ctx.db, companyLogoKey, null, ctx.clock.now());
  return presentCompany(ctx, await companyIdentity(ctx));
}
