/**
 * Extension points between modules. The module that calls a hook declares
 * it here by declaration merging (each hook is a list of functions); other
 * modules contribute through their manifest, and app.ts assembles the lists.
 * Nothing registers itself on import.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Hooks {}

export type HookName = keyof Hooks & string;
export type HookContributions = { [K in HookName]?: Hooks[K] };

/** The contributions to one hook, in the order the modules are listed in app.ts. */
export const hooksOf = <K extends HookName>(ctx: { hooks: HookContributions }, name: K): NonNullable<Hooks[K]> =>
  (ctx.hooks[name] ?? []) as NonNullable<Hooks[K]>;

/** Concatenates every manifest's contributions, hook by hook. */
export function assembleHooks(contributions: (HookContributions | undefined)[]): HookContributions {
  const hooks: Record<string, unknown[]> = {};
  for (const c of contributions) {
    for (const [name, list] of Object.entries(c ?? {})) (hooks[name] ??= []).push(...(list as unknown[]));
  }
  return hooks as HookContributions;
}
