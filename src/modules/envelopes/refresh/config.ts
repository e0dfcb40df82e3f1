import { z } from "zod";

/**
 * The refresh process's knobs, from the environment (read when asked, so a
 * test or the CLI may set them first):
 * - OBRASIGN_REFRESH_EVERY_MINUTES (default 15; 0 disables the schedule)
 * - OBRASIGN_REFRESH_CONCURRENCY (default 8): envelopes asked at once, per job
 * - OBRASIGN_REFRESH_RATE_PER_SECOND (default 20; 0 = no limit): provider calls started per second, per job
 */
const envSchema = z.object({
  OBRASIGN_REFRESH_EVERY_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  OBRASIGN_REFRESH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  OBRASIGN_REFRESH_RATE_PER_SECOND: z.coerce.number().min(0).max(10_000).default(20),
});

export interface RefreshConfig {
  everyMinutes: number;
  concurrency: number;
  ratePerSecond: number;
}

export function refreshConfig(env: NodeJS.ProcessEnv = process.env): RefreshConfig {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("OBRASIGN_REFRESH_") && v !== "")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  const e = parsed.data;
  return { everyMinutes: e.OBRASIGN_REFRESH_EVERY_MINUTES, concurrency: e.OBRASIGN_REFRESH_CONCURRENCY, ratePerSecond: e.OBRASIGN_REFRESH_RATE_PER_SECOND };
}
