/** Tasks for the worker pool's own tests: one that answers, one that never ends, one that eats memory, one that refuses. */
import { threadId } from "node:worker_threads";
import { AppError } from "../../src/platform/errors.js";

export function echo(input: { text: string }): { text: string; threadId: number } {
  return { text: input.text.toUpperCase(), threadId };
}

export function spin(input: { ms: number }): number {
  const until = Date.now() + input.ms;
  let n = 0;
  while (Date.now() < until) n++;
  return n;
}

export function hog(input: { chunks: number }): number {
  const kept: number[][] = [];
  for (let i = 0; i < input.chunks; i++) kept.push(Array.from({ length: 1_000_000 }, (_, j) => i + j + 0.5));
  return kept.length;
}

export function refuse(input: { field: string }): never {
  throw new AppError("validation", `${input.field}: not accepted`, { [input.field]: "not accepted" });
}

export async function slowEcho(input: { text: string; ms: number }): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, input.ms));
  return input.text;
}

/** Asks the main thread to double each number in turn: host calls, one after another. */
export async function askHost(input: { numbers: number[] }, host: import("../../src/platform/workers/host.js").TaskHost): Promise<number[]> {
  const doubled: number[] = [];
  for (const n of input.numbers) doubled.push((await host.call("double", n)) as number);
  return doubled;
}
