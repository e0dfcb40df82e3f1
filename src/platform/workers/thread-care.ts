/**
 * How a pool thread shares the machine with the event loop it serves:
 *
 * - it runs at a lower CPU priority (nice 10, Linux: a thread's own nice
 *   value, set through its kernel thread id), so when every core is busy the
 *   event loop thread still gets the CPU first and /health, page loads and
 *   the job worker keep answering while the pool parses;
 * - after a task that held much memory (a 19 MB upload, a bomb inflated to
 *   its budget), it collects at once instead of waiting for V8 to feel the
 *   pressure: the big buffers are external memory, which V8 counts late, and
 *   each thread kept a few of them alive until then (RSS grew by ~90 MB per
 *   round of 19 MB files in bench/hostile before this).
 * Neither applies on the main thread (OBRASIGN_WORKER_THREADS=0).
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { isMainThread } from "node:worker_threads";

const WORKER_NICE = 10;
/** Heap plus external memory above which a thread collects after its task. */
const COLLECT_ABOVE_BYTES = 48 * 1024 * 1024;

let collect: (() => void) | null = null;

/** Called once as a pool thread starts. */
export function settleThread(): void {
  if (isMainThread) return;
  try {
    // "/proc/thread-self" → "<pid>/task/<tid>": setpriority on a tid changes that thread only.
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), WORKER_NICE);
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
  setFlagsFromString("--expose-gc");
  collect = runInNewContext("gc") as () => void;
}

/** Called after each task: collects when the thread holds more than a small task leaves behind. */
export function releaseMemory(): void {
  if (!collect) return;
  const heap = getHeapStatistics();
  if (heap.used_heap_size + heap.external_memory > COLLECT_ABOVE_BYTES) collect();
}
