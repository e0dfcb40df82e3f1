export { providerAuthorFor, serviceAuthor, serviceAuthorName, taeWebLoginLink } from "./queries.js";
export { connectTaeAccount } from "./commands/connect-tae-account.js";
export { disconnectTaeAccount } from "./commands/disconnect-tae-account.js";
export { createTaeAccountForUser } from "./commands/create-tae-account.js";
export { taeAccountStatus } from "./status.js";
export type { TaeAccountStatus } from "./schemas.js";
