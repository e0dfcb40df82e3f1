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
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field path → message, for validation errors that name the field at fault. */
    readonly fields?: Record<string, string>,
    readonly translations?: Translations,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorStatus[this.code];
  }

  /** The message in the reader's language when it was written in it, else the English one. */
  messageIn(locale: string): string {
    return this.translations?.[locale as keyof Translations] ?? this.message;
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
