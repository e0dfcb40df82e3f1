import { AppError } from "../../platform/errors.js";
import { ProviderError } from "../../platform/providers/port.js";

/**
 * A provider failure as the API tells it, in the provider's own words: 502
 * when the provider failed or refused; 422 when the adapter refused before
 * calling (the request cannot work with this provider, e.g. an observer added
 * after publishing at TOTVS Sign). Anything else passes through unchanged.
 */
export function providerFailure(error: unknown): unknown {
  if (!(error instanceof ProviderError)) return error;
  const code = error.httpStatus === undefined && !error.retryable ? "unprocessable" : "provider_error";
  // `retryable` stays readable for the jobs that run these commands (a refusal is not retried).
  return Object.assign(new AppError(code, error.message), { retryable: error.retryable, cause: error });
}

/** Runs a provider call for an HTTP command, translating its failure (see providerFailure). */
export async function atProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw providerFailure(error);
  }
}
