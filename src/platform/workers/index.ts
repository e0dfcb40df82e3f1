/**
 * The worker pool, as every module reaches it:
 *
 *   const pdf = await runTask(ctx, "reports.render", { process, input, options });
 *
 * A task whose function takes a second argument, a `TaskHost<H>`, is given
 * the host calls `H` it may make back to the main thread (host.ts):
 *
 *   await runTask(ctx, "pades.seal", input, { timestamp: (digest) => … });
 *
 * Declare a task in `tasks.ts`'s `WorkerTasks`, define it with `defineTask`,
 * list it in app.ts's task list. See pool.ts for sizing, limits and time-outs.
 */
import type { AppContext } from "../context.js";
import type { HostCalls, TaskHost } from "./host.js";
import type { TaskInput, TaskName, TaskOutput, TaskTable, WorkerTasks } from "./tasks.js";

export { createWorkerPool, defaultWorkerSettings, resolveWorkerSettings, WorkerTaskError, type WorkerPool, type WorkerPoolSettings } from "./pool.js";
export type { HostCalls, TaskHost } from "./host.js";
export { defineTask, type TaskDefinition, type TaskList, type TaskName, type WorkerTasks } from "./tasks.js";

type Tasks = WorkerTasks & TaskTable;

/** Runs a declared task in the context's worker pool (started on first use) and returns its result. */
/** The host calls a task takes (its function's second argument), or none. */
type HostOf<N extends TaskName> = Parameters<Tasks[N]>[1] extends TaskHost<infer H extends HostCalls> ? [host: H] : [];

export function runTask<N extends TaskName>(ctx: Pick<AppContext, "workers">, name: N, input: TaskInput<Tasks, N>, ...host: HostOf<N>): Promise<TaskOutput<Tasks, N>> {
  return ctx.workers.run(name, input, host[0]);
}
