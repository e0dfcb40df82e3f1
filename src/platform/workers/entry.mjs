// The first file each pool worker loads. Node 20 cannot strip types and a
// worker thread does not inherit the parent's module hooks, so the worker
// registers tsx itself before it loads the TypeScript dispatcher; the task
// modules are imported from there, once per worker.
import { register } from "tsx/esm/api";

register();
const { runInWorker } = await import("./dispatch.ts");

export default runInWorker;
