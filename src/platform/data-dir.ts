import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";

/**
 * The data folder holds the SQLite database, the secret key, stored files and
 * the log: readable by obrasign's own user only. The umask makes every file
 * created from now on 0600 and every folder 0700, including the ones SQLite
 * opens itself (the -wal and -shm files), which no mode option reaches;
 * what an older version left behind is tightened once at start.
 */
export function protectDataDir(dir: string): void {
  if (isMainThread) process.umask(0o077);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    // Only the top level: a folder at 0700 already closes everything under it.
    if (stat.isDirectory()) chmodSync(path, 0o700);
    else if (stat.isFile()) chmodSync(path, 0o600);
  }
}
