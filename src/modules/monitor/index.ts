export { monitorPages } from "./routes.js";
export { monitorMessages } from "./messages.js";
