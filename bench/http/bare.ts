/** The ceiling for bench/http: a bare Fastify answering a small JSON, on this machine, now. */
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => ({ status: "ok" }));
const address = await app.listen({ port: 0, host: "127.0.0.1" });
console.log(JSON.stringify({ url: address, token: "", pid: process.pid }));
process.stdin.on("end", () => void app.close().then(() => process.exit(0)));
process.stdin.resume();
