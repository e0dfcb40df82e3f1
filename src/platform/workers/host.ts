/**
 * Calls from a running task back to the main thread, for what a worker must
 * not do itself: network (a time-stamp authority, a CRL), the database, the
 * configuration. The pool hands the task a MessagePort; the task asks by
 * name, the main thread runs the function it was given for that call and
 * posts back the result. Arguments and results cross as plain data; a
 * failure comes back as an Error with the host's message only.
 */
import type { MessagePort } from "node:worker_threads";

/** What the main thread offers a task: functions of one plain argument. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostCalls = Record<string, (arg: any) => Promise<unknown>>;

/** The task's side: `await host.call("timestamp", digest)`. */
export interface TaskHost<H extends HostCalls = HostCalls> {
  call<K extends keyof H & string>(name: K, arg: Parameters<H[K]>[0]): Promise<Awaited<ReturnType<H[K]>>>;
}

interface HostRequest {
  id: number;
  name: string;
  arg: unknown;
}
type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

/** A host for tasks run without one: any call fails, naming itself. */
export const noHost: TaskHost = {
  call: (name) => Promise.reject(new Error(`This task was started without host calls (asked for ${name})`)),
};

/** Worker side: a TaskHost speaking over `port`; `close` when the task ends. */
export function hostOver(port: MessagePort): TaskHost & { close(): void } {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  port.on("message", (reply: HostReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(reply.message));
  });
  return {
    call(name, arg) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        port.postMessage({ id, name, arg } satisfies HostRequest);
      });
    },
    close: () => port.close(),
  };
}

/**
 * Main side: answers the task's calls on `port`. `busy(true)` when a call
 * starts, `busy(false)` when the last outstanding one ends, so the pool
 * can stop the task's clock while it waits for the host.
 */
export function serveHost(port: MessagePort, calls: HostCalls, busy: (waiting: boolean) => void): void {
  let outstanding = 0;
  port.on("message", async (request: HostRequest) => {
    if (outstanding++ === 0) busy(true);
    let reply: HostReply;
    try {
      const call = Object.hasOwn(calls, request.name) ? calls[request.name] : undefined;
      if (!call) throw new Error(`No host call named ${request.name}`);
      reply = { id: request.id, ok: true, value: await call(request.arg) };
    } catch (error) {
      reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (--outstanding === 0) busy(false);
    try {
      port.postMessage(reply);
    } catch {
      // The task ended (port closed) while the host was answering: nobody to tell.
    }
  });
}
