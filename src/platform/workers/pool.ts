/**
 * The worker pool: CPU-heavy or untrusted work (rendering a report, parsing
 * an uploaded PDF) runs here, off the event loop, so HTTP requests and the
 * job worker keep answering while it runs.
 *
 * - sized to the machine: `OBRASIGN_WORKER_THREADS` (default: the cores Node
 *   may use, at least 1); the threads are kept, so what a task module loads
 *   once (fonts, parsers) serves every later task on that thread;
 * - a heap cap per worker (`OBRASIGN_WORKER_MEMORY_MB`) and a time-out per
 *   task (`OBRASIGN_WORKER_TIMEOUT_MS`, counted from the moment the task
 *   starts, not while it waits in the queue): a task that exceeds either
 *   fails that call only, with an AppError, and the pool replaces the worker;
 * - a task may call back to the main thread (host.ts) for network or
 *   database work; the time-out does not run while it waits for those;
 * - started on the first task, closed with the runtime;
 * - `threads: 0` runs every task inline, on the event loop, through the same
 *   dispatcher, with neither cap nor time-out: only to measure what the pool
 *   buys (bench/), never for a server that takes untrusted files.
 */
import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { AppError, type ErrorCode, errorStatus } from "../errors.js";
import { runInWorker, type TaskMessage, type TaskReply, type TaskStarted } from "./dispatch.js";
import { serveHost, type HostCalls } from "./host.js";
import type { TaskDefinition, TaskInput, TaskOutput, TaskTable, WorkerTasks } from "./tasks.js";

export interface WorkerPoolSettings {
  /** Worker threads; 0 runs the tasks inline (benchmarks only). */
  threads: number;
  /** Heap cap of each worker (V8 old generation), in MB. */
  memoryMb: number;
  /** Longest a task may run, in ms. */
  timeoutMs: number;
}

export const defaultWorkerSettings = (): WorkerPoolSettings => ({ threads: Math.max(1, availableParallelism()), memoryMb: 256, timeoutMs: 30_000 });

/** The defaults, overridden by whatever the configuration sets. */
export function resolveWorkerSettings(given: Partial<WorkerPoolSettings> = {}): WorkerPoolSettings {
  const defaults = defaultWorkerSettings();
  return { threads: given.threads ?? defaults.threads, memoryMb: given.memoryMb ?? defaults.memoryMb, timeoutMs: given.timeoutMs ?? defaults.timeoutMs };
}

export interface WorkerPool<T extends TaskTable = WorkerTasks & TaskTable> {
  /** Runs one task in a worker; rejects with the task's own AppError, or an AppError when it ran out of time or memory. */
  run<N extends keyof T & string>(name: N, input: TaskInput<T, N>, host?: HostCalls): Promise<TaskOutput<T, N>>;
  /** Threads the pool runs (its size, whether started or not). */
  readonly size: number;
  /** Waits for the running tasks, then ends the workers; a later `run` starts the pool again. */
  close(): Promise<void>;
}

const entryFile = new URL("./entry.mjs", import.meta.url).href;

export class WorkerTaskError extends AppError {
  constructor(
    readonly reason: "timeout" | "memory" | "crashed",
    message: string,
  ) {
    super(reason === "crashed" ? "internal" : "unprocessable", message);
  }
}

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorStatus, code);

function fromReply(name: string, reply: TaskReply): unknown {
  if (reply.ok) return reply.value;
  const { error } = reply;
  if (error.appError && isErrorCode(error.code)) throw new AppError(error.code, error.message, error.fields);
  throw new Error(`Task ${name} failed: ${typeof error.message === "string" ? error.message : error.message.en}`);
}

/** Builds a pool for a task table; no thread starts before the first `run`. */
export function createWorkerPool<T extends TaskTable>(
  tasks: { readonly [N in keyof T]: TaskDefinition },
  settings: WorkerPoolSettings = defaultWorkerSettings(),
): WorkerPool<T> {
  const threads = Math.max(0, Math.floor(settings.threads));
  let piscina: Piscina<TaskMessage, TaskReply> | null = null;
  let nextId = 1;
  // Tasks sent and not yet started: their time-out begins when the worker says it has taken them.
  const waiting = new Map<number, () => void>();

  const start = () => {
    const pool = new Piscina<TaskMessage, TaskReply>({
      filename: entryFile,
      minThreads: threads,
      maxThreads: threads,
      // Kept alive: a thread's loaded modules (fonts, parsers) are the point of keeping it.
      idleTimeout: Number.MAX_SAFE_INTEGER,
      resourceLimits: { maxOldGenerationSizeMb: settings.memoryMb },
      // The workers load tsx themselves (entry.mjs); the parent's loader flags are not theirs to repeat.
      execArgv: process.execArgv.filter((arg) => !/^--(import|loader|require)/.test(arg) && !/^(tsx|tsx\/\w+)$/.test(arg)),
    });
    pool.on("message", (message: Partial<TaskStarted>) => {
      if (typeof message?.taskStarted === "number") waiting.get(message.taskStarted)?.();
    });
    // A worker that dies fails its task (handled per call below); the pool replaces it.
    pool.on("error", () => {});
    return pool;
  };

  return {
    size: threads,
    async run(name, input, host) {
      const definition = tasks[name];
      if (!definition) throw new AppError("internal", `Unknown worker task ${name}`);
      const id = nextId++;
      const channel = host ? new MessageChannel() : null;
      const message: TaskMessage = { id, module: definition.module, export: definition.export, input, ...(channel ? { host: channel.port2 } : {}) };
      const controller = new AbortController();
      // The task's own time: from its start, stopped while it waits for the host.
      let left = settings.timeoutMs;
      let since = 0;
      let timer: NodeJS.Timeout | undefined;
      const clock = (running: boolean) => {
        if (running) {
          since = Date.now();
          timer = setTimeout(() => controller.abort(), Math.max(0, left));
        } else {
          clearTimeout(timer);
          left -= Date.now() - since;
        }
      };
      if (channel && host) serveHost(channel.port1, host, (waiting) => threads > 0 && clock(!waiting));
      try {
        if (threads === 0) return fromReply(name, await runInWorker(message)) as TaskOutput<T, typeof name>;
        piscina ??= start();
        waiting.set(id, () => {
          waiting.delete(id);
          clock(true);
        });
        const reply = await piscina.run(message, { signal: controller.signal, ...(channel ? { transferList: [channel.port2] } : {}) });
        return fromReply(name, reply) as TaskOutput<T, typeof name>;
      } catch (error) {
        if (error instanceof AppError || (error instanceof Error && error.message.startsWith(`Task ${name} failed:`))) throw error;
        if (controller.signal.aborted) throw new WorkerTaskError("timeout", `${name} took longer than ${settings.timeoutMs} ms and was stopped`);
        const code = (error as { code?: string }).code;
        if (code === "ERR_WORKER_OUT_OF_MEMORY") throw new WorkerTaskError("memory", `${name} needed more than ${settings.memoryMb} MB and was stopped`);
        throw new WorkerTaskError("crashed", `${name} stopped its worker: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        waiting.delete(id);
        clearTimeout(timer);
        channel?.port1.close();
      }
    },
    async close() {
      const pool = piscina;
      piscina = null;
      if (pool) await pool.close();
    },
  };
}
