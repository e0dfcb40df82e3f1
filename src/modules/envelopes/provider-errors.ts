import { AppError } from "../../platform/errors.js";
import { ProviderError } from "../../platform/providers/port.js";
import { providerFailureText } from "../../platform/providers/failure-messages.js";

/**
 * A provider failure as the API tells it, in the provider's own words: 502
 * when the provider failed or refused; 422 when the adapter refused before
 * calling (the request cannot work with this provider, e.g. an observer added
 * after publishing at TOTVS Sign). Anything else passes through unchanged.
 */
export function providerFailure(error: unknown): unknown {
  if (!(error instanceof ProviderError)) return error;
  const code = error.httpStatus === undefined && !error.retryable ? "unprocessable" : "provider_error";
  // A failure with a code is told from the catalogue, in the reader's language; the English account stays for logs.
  const text = providerFailureText(error.code, error.values);
  // `retryable` stays readable for the jobs that run these commands (a refusal is not retried).
  return Object.assign(new AppError(code, text ?? error.message), { retryable: error.retryable, cause: error });
}

/** Runs a provider call for an HTTP command, translating its failure (see providerFailure). */
export async function atProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw providerFailure(error);
  }
}

/** What an envelope keeps of a provider failure: the English text for logs, and the code and values of its message. */
export function storedFailure(error: Error): { reason: string; code: string | null; values: string | null } {
  const cause = error instanceof ProviderError ? error : (error as { cause?: unknown }).cause instanceof ProviderError ? ((error as { cause: ProviderError }).cause) : null;
  const text = cause ? providerFailureText(cause.code, cause.values) : null;
  return {
    reason: (text?.en ?? error.message).slice(0, 1000),
    code: text ? cause!.code! : null,
    values: text && Object.keys(cause!.values).length ? JSON.stringify(cause!.values) : null,
  };
}
