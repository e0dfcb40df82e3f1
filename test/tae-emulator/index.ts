export { startTaeEmulator, DEFAULT_SERVICE_USER } from "./emulator.js";
export type { TaeEmulator, EmulatorOptions, EmulatorUser, EmulatorDocument, RouteName, RecordedCall } from "./emulator.js";
export { SIGNED_MARKER } from "./pdf.js";
