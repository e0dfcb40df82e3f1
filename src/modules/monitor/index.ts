export { monitorPages } from "./routes.js";
export { resendInvitation } from "../envelopes/commands/resend-invitation.js";
export { monitorMessages } from "./messages.js";
