export { monitorPages } from "./routes.js";
export { resendInvitation } from "./commands/resend-invitation.js";
export { monitorMessages } from "./messages.js";
