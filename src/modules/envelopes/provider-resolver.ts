import type { AppContext } from "../../platform/context.js";
import type { SignatureProvider } from "../../platform/providers/port.js";
import { embeddedProvider } from "../providers/embedded/provider.js";
import { getSignatureSettings, totvsSignProvider } from "../signature-settings/index.js";

export type ProviderName = "embedded" | "totvs-sign";

/** The provider new envelopes go to, from the global settings. */
export async function currentProviderName(ctx: AppContext): Promise<ProviderName> {
  return (await getSignatureSettings(ctx)).provider;
}

/** The adapter for an envelope's provider (an envelope keeps the provider it was sent with). */
export async function providerFor(ctx: AppContext, name: ProviderName): Promise<SignatureProvider> {
  return name === "embedded" ? embeddedProvider(ctx) : totvsSignProvider(ctx);
}
