/**
 * The worker side of the pool: imports a task's module (once per worker, so
 * what it loads at the top, fonts for instance, stays loaded), calls the
 * task, and turns a thrown AppError into plain data, since an error's own
 * fields do not survive the trip back to the main thread.
 */
import { parentPort, type MessagePort } from "node:worker_threads";
import { AppError } from "../errors.js";
import type { Text } from "../i18n/text.js";
import { hostOver, noHost } from "./host.js";

export interface TaskMessage {
  id: number;
  module: string;
  export: string;
  input: unknown;
  /** Where the task's host calls go (host.ts), when the caller offered any. */
  host?: MessagePort;
}

export type TaskReply =
  | { ok: true; value: unknown }
  | { ok: false; error: { appError: boolean; code: string; message: string | Text; fields?: Record<string, string | Text> } };

/** Posted before the task starts: the pool counts the time-out from here, not from the queue. */
export interface TaskStarted {
  taskStarted: number;
}

export async function runInWorker(message: TaskMessage): Promise<TaskReply> {
  parentPort?.postMessage({ taskStarted: message.id } satisfies TaskStarted);
  const host = message.host ? hostOver(message.host) : null;
  try {
    const module = (await import(message.module)) as Record<string, unknown>;
    const task = module[message.export];
    if (typeof task !== "function") throw new Error(`Task module ${message.module} exports no function ${message.export}`);
    return { ok: true, value: await (task as (input: unknown, host: unknown) => unknown)(message.input, host ?? noHost) };
  } catch (error) {
    // Both languages cross the thread, so the reader still gets theirs.
    if (error instanceof AppError) return { ok: false, error: { appError: true, code: error.code, message: error.text ?? error.message, fields: error.fieldTexts } };
    return { ok: false, error: { appError: false, code: "internal", message: error instanceof Error ? error.message : String(error) } };
  } finally {
    host?.close();
  }
}
