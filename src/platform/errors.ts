import type { Locale } from "./i18n/index.js";
import { translatePhrase } from "./i18n/phrases.js";
import type { Text } from "./i18n/text.js";

/**
 * The closed error vocabulary. Every failure a user can see is an AppError
 * with one of these codes; the HTTP layer maps the code to a status through
 * this single table, and anything else becomes a 500 with a request id.
 */
export const errorStatus = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  gone: 410,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  provider_error: 502,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** The same message in each language a reader may have chosen; `message` is the English one. */
export type Translations = Partial<Record<"pt-BR" | "en", string>>;

export class AppError extends Error {
  /** The message in each language; `message` keeps the English one for logs. */
  readonly text: Text | null;
  /** For `rate_limited`: when to ask again; the HTTP answer carries it as `Retry-After`. */
  retryAfterSeconds?: number;
  readonly #fields?: Record<string, string | Text>;

  constructor(
    readonly code: ErrorCode,
    message: string | Text,
    /** Field path → message, for validation errors that name the field at fault. */
    fields?: Record<string, string | Text>,
    /** The message's other languages, when it is given as English text. */
    translations?: Translations,
  ) {
    super(typeof message === "string" ? message : message.en);
    this.name = "AppError";
    this.text = typeof message !== "string" ? message : translations ? { "pt-BR": translations["pt-BR"] ?? message, en: translations.en ?? message } : null;
    this.#fields = fields;
  }

  /** The field messages in English. */
  get fields(): Record<string, string> | undefined {
    return this.fieldsIn("en");
  }

  /** The message in the reader's language. */
  messageIn(locale: Locale): string {
    return this.text ? this.text[locale] : translatePhrase(this.message, locale);
  }

  fieldsIn(locale: Locale): Record<string, string> | undefined {
    if (!this.#fields) return undefined;
    return Object.fromEntries(Object.entries(this.#fields).map(([k, v]) => [k, typeof v === "string" ? translatePhrase(v, locale) : v[locale]]));
  }

  /** The field messages as given, to carry them into another error. */
  get fieldTexts(): Record<string, string | Text> | undefined {
    return this.#fields;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);

/** A 429 with the seconds to wait (at least 1), which the HTTP layer sends as `Retry-After`. */
export function rateLimited(message: Text, retryAfterMs: number): AppError {
  const error = new AppError("rate_limited", message);
  error.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return error;
}
