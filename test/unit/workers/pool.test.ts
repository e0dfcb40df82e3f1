import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { AppError } from "../../../src/platform/errors.js";
import { createWorkerPool, WorkerTaskError } from "../../../src/platform/workers/index.js";
import type * as testTasks from "../../support/worker-tasks.js";

const module = new URL("../../support/worker-tasks.ts", import.meta.url).href;
const table = {
  echo: { name: "echo", module, export: "echo" },
  spin: { name: "spin", module, export: "spin" },
  hog: { name: "hog", module, export: "hog" },
  refuse: { name: "refuse", module, export: "refuse" },
  slowEcho: { name: "slowEcho", module, export: "slowEcho" },
  askHost: { name: "askHost", module, export: "askHost" },
};
type Tasks = { [N in keyof typeof table]: (typeof testTasks)[N] };

describe("worker pool", () => {
  const pool = createWorkerPool<Tasks>(table, { threads: 1, memoryMb: 32, timeoutMs: 1_500 });
  after(() => pool.close());

  test("runs a task in a worker thread and returns its result", async () => {
    const result = await pool.run("echo", { text: "olá" });
    assert.equal(result.text, "OLÁ");
    assert.notEqual(result.threadId, 0, "ran on a worker thread, not the main one");
  });

  test("a task's AppError comes back as the same AppError, fields included", async () => {
    await assert.rejects(pool.run("refuse", { field: "cnpj" }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, "validation");
      assert.deepEqual(error.fields, { cnpj: "not accepted" });
      return true;
    });
  });

  test("a task that runs past the time-out fails that call only, and the pool replaces the worker", async () => {
    const before = (await pool.run("echo", { text: "a" })).threadId;
    await assert.rejects(pool.run("spin", { ms: 60_000 }), (error: unknown) => {
      assert.ok(error instanceof WorkerTaskError);
      assert.equal(error.reason, "timeout");
      assert.equal(error.code, "unprocessable");
      assert.match(error.message, /spin took longer than 1500 ms/);
      return true;
    });
    const next = await pool.run("echo", { text: "b" });
    assert.equal(next.text, "B");
    assert.notEqual(next.threadId, before, "a new worker took the stopped one's place");
  });

  test("the time-out counts from the start of the task, not while it waits for a free worker", async () => {
    // One thread: the second task waits ~1 s behind the first, then runs ~1 s; 2 s in all, over the 1.5 s time-out.
    const [first, second] = await Promise.all([pool.run("slowEcho", { text: "first", ms: 1_000 }), pool.run("slowEcho", { text: "second", ms: 1_000 })]);
    assert.deepEqual([first, second], ["first", "second"]);
  });

  test("a task that exceeds the memory cap fails that call only, and the next task runs", async () => {
    await assert.rejects(pool.run("hog", { chunks: 1_000 }), (error: unknown) => {
      assert.ok(error instanceof WorkerTaskError);
      assert.equal(error.reason, "memory");
      assert.match(error.message, /hog needed more than 32 MB/);
      return true;
    });
    assert.equal((await pool.run("echo", { text: "after" })).text, "AFTER");
  });

  test("tasks run side by side, one per thread", async () => {
    const wide = createWorkerPool<Tasks>(table, { threads: 2, memoryMb: 64, timeoutMs: 5_000 });
    try {
      const results = await Promise.all([wide.run("echo", { text: "x" }), wide.run("spin", { ms: 300 }), wide.run("echo", { text: "y" })]);
      assert.equal(results.length, 3);
      assert.equal(wide.size, 2);
    } finally {
      await wide.close();
    }
  });

  test("a task calls back to the main thread; the time-out does not run while the host answers", async () => {
    // Three answers of 700 ms each: 2.1 s of waiting, over the 1.5 s time-out, none of it the task's own.
    const host = { double: async (n: number) => (await new Promise((r) => setTimeout(r, 700)), n * 2) };
    assert.deepEqual(await pool.run("askHost", { numbers: [1, 2, 3] }, host), [2, 4, 6]);
  });

  test("a host call that fails comes back to the task as an error with the host's message", async () => {
    const host = { double: async () => Promise.reject(new Error("no doubling today")) };
    await assert.rejects(pool.run("askHost", { numbers: [1] }, host), /no doubling today/);
  });

  test("threads: 0 runs the same task inline, host calls included", async () => {
    const inline = createWorkerPool<Tasks>(table, { threads: 0, memoryMb: 32, timeoutMs: 1_500 });
    assert.equal((await inline.run("echo", { text: "here" })).threadId, 0, "ran on the main thread");
    assert.deepEqual(await inline.run("askHost", { numbers: [5] }, { double: async (n: number) => n * 2 }), [10]);
    await inline.close();
  });

  test("a closed pool starts again on the next task", async () => {
    await pool.close();
    assert.equal((await pool.run("echo", { text: "again" })).text, "AGAIN");
  });
});
