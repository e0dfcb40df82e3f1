import type { AppContext } from "../../platform/context.js";
import { hooksOf } from "../../platform/hooks.js";
import type { Process } from "./processes.js";
import type { RecipientInput } from "./schemas.js";

/**
 * Default recipients come from the project's rules for the process (party
 * contacts by role, project users by role, fixed e-mails): the signature
 * rules module contributes the resolver; without one there are none.
 */
export type DefaultRecipientsResolver = (ctx: AppContext, process: Process, record: { row: any; projectId: string }) => Promise<RecipientInput[]>;

declare module "../../platform/hooks.js" {
  interface Hooks {
    defaultRecipientResolvers: DefaultRecipientsResolver[];
  }
}

export async function defaultRecipients(ctx: AppContext, process: Process, record: { row: any; projectId: string }): Promise<RecipientInput[]> {
  const found: RecipientInput[] = [];
  for (const resolve of hooksOf(ctx, "defaultRecipientResolvers")) found.push(...(await resolve(ctx, process, record)));
  return found;
}
