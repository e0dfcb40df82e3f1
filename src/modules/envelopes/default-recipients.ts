import type { AppContext } from "../../platform/context.js";
import type { Process } from "./processes.js";
import type { RecipientInput } from "./schemas.js";

/**
 * Default recipients come from the project's rules for the process (party
 * contacts by role, project users by role, fixed e-mails). Resolvers are
 * registered by the project settings module; without one there are none.
 */
export type DefaultRecipientsResolver = (ctx: AppContext, process: Process, record: { row: any; projectId: string }) => Promise<RecipientInput[]>;

let resolver: DefaultRecipientsResolver = async () => [];
export const setDefaultRecipientsResolver = (r: DefaultRecipientsResolver) => void (resolver = r);
export const defaultRecipients: DefaultRecipientsResolver = (ctx, process, record) => resolver(ctx, process, record);
