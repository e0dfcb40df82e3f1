import type { AppContext } from "../context.js";
import type { ModuleManifest } from "../modules.js";
import type { ProviderDirectory, ProviderName, SignatureProvider } from "./port.js";

type Factory = NonNullable<ModuleManifest["providers"]>[number];

/** `ctx.providers`: the adapters the modules bring, and the active one by the stored settings. */
export function createProviderDirectory(ctx: AppContext, factories: readonly Factory[], activeName: () => Promise<ProviderName>): ProviderDirectory {
  const byName = new Map(factories.map((f) => [f.name, f]));
  return {
    activeName,
    async get(name: ProviderName): Promise<SignatureProvider> {
      const factory = byName.get(name);
      if (!factory) throw new Error(`No signature provider named ${name}`);
      return factory.create(ctx);
    },
  };
}
