/**
 * Tasks that run off the event loop, in the worker pool. Modules declare
 * theirs here by declaration merging, name → the function the worker calls:
 *
 *   declare module "../../platform/workers/tasks.js" {
 *     interface WorkerTasks { "reports.render": typeof renderReportTask }
 *   }
 *
 * and export a definition (`defineTask`) that names the file and the export;
 * app.ts lists one definition per name (`TaskList`), checked by the compiler,
 * so `runTask(ctx, "reports.render", input)` is typed end to end. Inputs and
 * outputs cross a thread: plain data only (structured clone), no functions,
 * no class instances.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface WorkerTasks {}

// Any function of one plain argument (and the host calls it may make, host.ts); the declared tasks narrow it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TaskFunction = (input: any, host: any) => unknown;
export type TaskTable = Record<string, TaskFunction>;

export type TaskName = keyof WorkerTasks & string;
export type TaskInput<T extends TaskTable, N extends keyof T> = Parameters<T[N]>[0];
export type TaskOutput<T extends TaskTable, N extends keyof T> = Awaited<ReturnType<T[N]>>;

/** Where a worker finds a task: a module (file URL of its source) and the name of the function it exports. */
export interface TaskDefinition<N extends string = string> {
  name: N;
  module: string;
  export: string;
}

/** Exactly one definition for every declared task name. */
export type TaskList = { [N in TaskName]: TaskDefinition<N> };

/**
 * Types a definition by its name: `module` is the task file's own URL
 * (`new URL("./render-task.ts", import.meta.url)`), `exportName` its function.
 */
export const defineTask = <N extends TaskName>(name: N, module: URL | string, exportName: string): TaskDefinition<N> => ({
  name,
  module: String(module),
  export: exportName,
});
