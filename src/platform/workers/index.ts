/**
 * The worker pool, as every module reaches it:
 *
 *   const pdf = await runTask(ctx, "reports.render", { process, input, options });
 *
 * Declare a task in `tasks.ts`'s `WorkerTasks`, define it with `defineTask`,
 * list it in app.ts's task list. See pool.ts for sizing, limits and time-outs.
 */
import type { AppContext } from "../context.js";
import type { TaskInput, TaskName, TaskOutput, TaskTable, WorkerTasks } from "./tasks.js";

export { createWorkerPool, defaultWorkerSettings, resolveWorkerSettings, WorkerTaskError, type WorkerPool, type WorkerPoolSettings } from "./pool.js";
export { defineTask, type TaskDefinition, type TaskList, type TaskName, type WorkerTasks } from "./tasks.js";

type Tasks = WorkerTasks & TaskTable;

/** Runs a declared task in the context's worker pool (started on first use) and returns its result. */
export function runTask<N extends TaskName>(ctx: Pick<AppContext, "workers">, name: N, input: TaskInput<Tasks, N>): Promise<TaskOutput<Tasks, N>> {
  return ctx.workers.run(name, input);
}
