import type { AppContext } from "../../platform/context.js";
import type { Envelope } from "../../platform/db/schema.js";
import type { ProviderAuthor, ProviderEnvelope, SignatureProvider } from "../../platform/providers/port.js";

export const providerEnvelopeOf = (envelope: Pick<Envelope, "id" | "provider_ref" | "author_id" | "author_label">): ProviderEnvelope => ({
  id: envelope.id, providerRef: envelope.provider_ref, authorId: envelope.author_id, authorLabel: envelope.author_label,
});

/** An envelope's adapter (it keeps the provider it was sent with) and the author it acts as there. */
export async function providerOf(ctx: AppContext, envelope: Envelope): Promise<{ provider: SignatureProvider; author: ProviderAuthor }> {
  const provider = await ctx.providers.get(envelope.provider);
  return { provider, author: await provider.authorOf(providerEnvelopeOf(envelope)) };
}
