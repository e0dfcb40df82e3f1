/**
 * Runs the TAE emulator as a separate process, for manual runs and
 * end-to-end tests: `node --import tsx test/tae-emulator/main.ts [--port 4010]`.
 * Prints the two URLs for the global settings and the service user; controls
 * are under /__control (see emulator.ts).
 */
import { startTaeEmulator } from "./emulator.js";

const portArg = process.argv.indexOf("--port");
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
const emulator = await startTaeEmulator({ port });
console.log(
  JSON.stringify({ url: emulator.url, authUrl: emulator.authUrl, apiUrl: emulator.apiUrl, serviceUser: emulator.serviceUser.email, servicePassword: emulator.serviceUser.password }),
);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
