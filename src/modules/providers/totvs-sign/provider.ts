/**
 * The TOTVS Assinatura Eletrônica adapter of the SignatureProvider port.
 * Wire details live in api.ts; this file decides what is safe to repeat and
 * how to recover from an answer that never came.
 */
import { randomBytes } from "node:crypto";
import type {
  DownloadKind,
  ProviderAuthor,
  ProviderFile,
  ProviderRecipient,
  ProviderRecipientState,
  ProviderState,
  SendInput,
  SignatureProvider,
} from "../../../platform/providers/port.js";
import * as api from "./api.js";
import { TaeClient, TaeError, silentLog, type CallSpec, type TaeLog } from "./client.js";
import { Redactor } from "./redact.js";
import { fetchSignedFile, looksLikePdf } from "./signed-file.js";
import { ServiceSession, authorToken, type TokenGrant } from "./session.js";

export interface TotvsSignConfig {
  /** "URL de autenticação", e.g. https://totvssign.totvs.app/identityintegration */
  authUrl: string;
  /** "URL da API de integração", e.g. https://totvssign.totvs.app */
  apiUrl: string;
  serviceUser: string;
  servicePassword: string;
  /** OBRASIGN_PROVIDERS_ALLOW_PRIVATE: calls to private or loopback hosts and over plain http are allowed (tests, emulators). */
  allowPrivate: boolean;
  /** Per attempt (the installation passes OBRASIGN_TAE_TIMEOUT_MS; else 15 s; uploads get four times as long). */
  timeoutMs?: number;
  /** Extra attempts for calls safe to repeat (default 2). */
  retries?: number;
  /** First backoff delay, doubled at each retry (default 300 ms). */
  retryDelayMs?: number;
  /** Renew the service token this long before its expirationDate (default 5 min, at most a tenth of its life). */
  tokenRefreshMarginMs?: number;
  log?: TaeLog;
  /** The installation's clock (expiry inference, token lifetimes); the system clock when absent. */
  now?: () => Date;
  /** `papelAssinante` per action (the defaults of api.ts where absent). */
  signerRoles?: Partial<api.SignerRoles>;
  /** The licensed company's CNPJ, sent as `cnpjLicensedCompany` when registering a user. */
  companyCnpj?: string | null;
  /** Who is TAE's author of an envelope by its obrasign author (a user's own session, else the service user). */
  authorFor?: (authorId: string | null) => Promise<ProviderAuthor>;
}

export interface TotvsSignProvider extends SignatureProvider {
  readonly name: "totvs-sign";
  /** The "connect your TAE account" flow: a user's own token and when it expires. */
  loginUser(email: string, password: string): Promise<TokenGrant>;
  /** The e-mail of the account behind a session (or of the service user). */
  profile(author?: ProviderAuthor): Promise<{ email: string }>;
  /** Documents sent by `email` (reconciliation, e.g. after a lost upload answer). */
  search(
    email: string,
    options?: { wholeCompany?: boolean; page?: number; pageSize?: number; author?: ProviderAuthor },
  ): Promise<{ total: number; items: { ref: string; name: string | null; status: ProviderState["status"] | null }[] }>;
}

type Auth = { kind: "service" } | { kind: "author"; token: string };

export function createTotvsSignProvider(config: TotvsSignConfig): TotvsSignProvider {
  const authUrl = config.authUrl.replace(/\/+$/, "");
  const apiUrl = config.apiUrl.replace(/\/+$/, "");
  const redactor = new Redactor();
  redactor.pin(config.servicePassword);
  const log = redactingLog(config.log ?? silentLog, redactor);
  const timeoutMs = config.timeoutMs ?? 15_000;
  const retries = config.retries ?? 2;
  const retryDelayMs = config.retryDelayMs ?? 300;
  const now = config.now ?? (() => new Date());
  const roles: api.SignerRoles = { ...api.defaultSignerRoles, ...definedOnly(config.signerRoles ?? {}) };
  const allowPrivate = config.allowPrivate;
  const client = new TaeClient({ timeoutMs, retries, retryDelayMs, log, redactor, allowPrivate });
  const uploadClient = new TaeClient({ timeoutMs: timeoutMs * 4, retries: 0, retryDelayMs, log, redactor, allowPrivate });

  async function login(email: string, password: string): Promise<{ token: string; expiresAt: Date | null }> {
    redactor.add(password);
    try {
      const data = await client.call({
        op: "login",
        method: "POST",
        url: authUrl + api.authPaths.login,
        json: api.loginBody(email, password),
        safeToRepeat: true,
      });
      const grant = api.readLogin(data);
      redactor.add(grant.token);
      log.info({ user: email, expiresAt: grant.expiresAt?.toISOString() ?? null }, "TAE login");
      return grant;
    } catch (error) {
      if (error instanceof TaeError && (error.kind === "unauthorized" || error.kind === "refused" || error.httpStatus === 400)) {
        const said = error.taeMessage ?? "wrong e-mail or password";
        throw new TaeError(`TAE refused the login of ${email}: ${said}`, false, error.httpStatus, "unauthorized", error.taeMessage, "login_refused", { message: said });
      }
      if (error instanceof TaeError) throw error;
      throw new TaeError(`TAE login of ${email}: ${redactor.text((error as Error).message)}`, true, undefined, "invalid_answer");
    } finally {
      if (email !== config.serviceUser) redactor.forget(password);
    }
  }

  const service = new ServiceSession(
    () => login(config.serviceUser, config.servicePassword),
    redactor,
    config.tokenRefreshMarginMs ?? 5 * 60_000,
    () => now().getTime(),
  );

  function authOf(author?: ProviderAuthor): Auth {
    if (!author?.session) return { kind: "service" };
    const token = authorToken(author.session, author.email, now().getTime());
    redactor.add(token);
    return { kind: "author", token };
  }

  /** A call with a token; on HTTP 401 with the service user: one new login, one retry. */
  async function authed(spec: Omit<CallSpec, "token">, author?: ProviderAuthor, via = client): Promise<unknown> {
    const auth = authOf(author);
    const token = auth.kind === "author" ? auth.token : await service.token();
    try {
      return await via.call({ ...spec, token });
    } catch (error) {
      if (!(error instanceof TaeError) || error.kind !== "unauthorized") throw error;
      if (auth.kind === "author") {
        throw new TaeError(`TAE refused the session of ${author!.email}; sign in to TAE again`, false, 401, "unauthorized", error.taeMessage, "session_expired");
      }
      log.info({ op: spec.op }, "TAE token refused, logging in again");
      service.invalidate(token);
      return await via.call({ ...spec, token: await service.token() });
    }
  }

  const docId = (ref: string): number => {
    const id = Number(ref);
    if (!Number.isInteger(id) || id <= 0) throw new TaeError(`not a TAE document reference: ${ref}`, false, undefined, "input");
    return id;
  };

  async function readPublication(ref: string, author?: ProviderAuthor): Promise<api.TaePublication> {
    const data = await authed({ op: "status", method: "GET", url: apiUrl + api.apiPaths.status(ref), safeToRepeat: true }, author);
    try {
      return api.readPublication(data);
    } catch (error) {
      throw new TaeError(`TAE status of ${ref}: ${(error as Error).message}`, true, 200, "invalid_answer");
    }
  }

  const isNotFound = (error: unknown) =>
    error instanceof TaeError && normalize(error.taeMessage) === normalize(api.notFoundMessage);

  /** The publication, or null when TAE no longer knows the document. */
  async function findPublication(ref: string, author?: ProviderAuthor): Promise<api.TaePublication | null> {
    try {
      return await readPublication(ref, author);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** After an answer that never came: asks TAE whether the call happened. */
  async function settleAmbiguous(op: string, original: TaeError, happened: () => Promise<boolean>): Promise<void> {
    let done: boolean;
    try {
      done = await happened();
    } catch (error) {
      throw new TaeError(`${original.message}; its outcome could not be checked: ${(error as Error).message}`, true, original.httpStatus, original.kind);
    }
    if (done) {
      log.info({ op }, "TAE call had gone through despite the failed answer");
      return;
    }
    throw original;
  }

  async function upload(input: SendInput): Promise<number> {
    const form = new FormData();
    form.append(api.uploadFields.name, input.name);
    for (const file of input.files) {
      const name = /\.pdf$/i.test(file.name) ? file.name : `${file.name}.pdf`;
      form.append(api.uploadFields.file, new Blob([new Uint8Array(file.bytes)], { type: api.uploadFields.fileType }), name);
    }
    // Never repeated here: a lost answer may hide a created document. A later send creates at
    // most an unpublished draft nobody is told about (see docs/decisions/003).
    const data = await authed({ op: "upload", method: "POST", url: apiUrl + api.apiPaths.upload, form, safeToRepeat: false }, input.author, uploadClient);
    try {
      return api.readDocumentId(data);
    } catch (error) {
      throw new TaeError(`TAE upload: ${(error as Error).message}`, false, 200, "invalid_answer");
    }
  }

  async function publish(id: number, input: SendInput): Promise<void> {
    const body = api.publishBody(id, input, roles);
    for (let attempt = 1; ; attempt++) {
      try {
        await authed({ op: "publish", method: "POST", url: apiUrl + api.apiPaths.publish, json: body, safeToRepeat: false }, input.author);
        return;
      } catch (error) {
        if (!(error instanceof TaeError) || !error.ambiguous) throw error;
        // Publishing twice is refused (or worse, notifies twice): look before repeating.
        let publication: api.TaePublication | null;
        try {
          publication = await findPublication(String(id), input.author);
        } catch (checkError) {
          throw new TaeError(`${error.message}; whether it went through could not be checked: ${(checkError as Error).message}`, true, error.httpStatus, error.kind);
        }
        if (publication === null) {
          throw new TaeError(`TAE document ${id} disappeared while being published`, false, undefined, "refused", api.notFoundMessage);
        }
        if (publication.statusCode !== api.draftStatusCode || publication.published) {
          log.info({ ref: String(id) }, "TAE publish had gone through despite the failed answer");
          return;
        }
        if (attempt > retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  function checkSendInput(input: SendInput) {
    const refuse = (message: string) => new TaeError(message, false, undefined, "input");
    if (input.files.length === 0) throw refuse("an envelope needs at least one file");
    const total = input.files.reduce((sum, f) => sum + f.bytes.length, 0);
    if (total > api.maxEnvelopeBytes) throw refuse(`the files total ${total} bytes; TAE accepts at most ${api.maxEnvelopeBytes} per envelope`);
    if (!input.recipients.some((r) => r.action !== "observe")) throw refuse("an envelope needs at least one recipient who acts");
    for (const r of input.recipients) {
      if ((r.notifyBy === "whatsapp" || r.notifyBy === "sms") && !r.phone) throw refuse(`${r.email}: notification by ${r.notifyBy} needs a phone number`);
    }
    const seen = new Set<string>();
    for (const r of input.recipients) {
      const email = r.email.trim().toLowerCase();
      if (seen.has(email)) throw refuse(`duplicate recipient e-mail: ${email}`);
      seen.add(email);
    }
  }

  function toState(publication: api.TaePublication): ProviderState {
    // obrasign asks only about documents it published: 5 here is a cancelled document (see api.documentStatus).
    let status = api.documentStatus(publication.statusCode, true);
    if (!status) {
      const code = String(publication.statusCode);
      throw new TaeError(`TAE answered an unknown document status ${code}`, false, 200, "invalid_answer", null, "unknown_status", { code });
    }
    // TAE has no status code for an expired document [gap]: the deadline tells.
    if ((status === "pending" || status === "partially_signed") && publication.expiresAt && publication.expiresAt.getTime() < now().getTime()) {
      status = "expired";
    }
    const recipients = new Map<string, ProviderRecipientState>();
    for (const acted of publication.acted) {
      const rejected = acted.signatureType === api.rejectedSignatureType;
      recipients.set(acted.email.toLowerCase(), {
        email: acted.email,
        status: rejected ? "rejected" : api.actedStatus(acted.acao),
        actedAt: acted.at,
        rejectionReason: rejected ? publication.rejectionReason : null,
      });
    }
    for (const pending of publication.pending) {
      const key = pending.email.toLowerCase();
      if (!recipients.has(key)) recipients.set(key, { email: pending.email, status: "pending", actedAt: null, rejectionReason: null });
    }
    return {
      status,
      rejectionReason: status === "rejected" ? publication.rejectionReason : null,
      expiresAt: publication.expiresAt,
      recipients: [...recipients.values()],
    };
  }

  async function userExists(email: string): Promise<boolean> {
    const data = await authed({ op: "user lookup", method: "GET", url: apiUrl + api.apiPaths.userByEmail(email), safeToRepeat: true });
    const wanted = email.trim().toLowerCase();
    return api.readUserEmails(data).some((e) => e.trim().toLowerCase() === wanted);
  }

  return {
    name: "totvs-sign",
    remote: true,
    channels: ["email", "whatsapp", "sms"],
    textLimits: { subjectMaxLength: api.textLimits.subjectMaxLength, allowedCharacters: api.textLimits.allowedCharacters },

    async authorOf(envelope) {
      return config.authorFor ? config.authorFor(envelope.authorId) : { email: config.serviceUser, name: envelope.authorLabel };
    },

    // TAE invites whoever may act next by itself.
    async afterRecipientsChanged() {},

    // §7: `reenvia-email-pendentes`, only for a pending document (status 0), and only worth asking
    // for a recipient TAE still lists as pending (obrasign checks beforehand that their turn has come).
    async resend(envelope, recipient, author) {
      const ref = envelope.providerRef;
      if (!ref) throw new TaeError("the envelope has not reached TAE yet", false, undefined, "input");
      const id = docId(ref);
      const publication = await findPublication(ref, author);
      if (!publication) throw new TaeError(`TAE document ${id} no longer exists`, false, undefined, "refused", api.notFoundMessage, "not_found");
      if (!api.resendableStatusCodes.includes(publication.statusCode)) {
        const status = String(publication.statusCode);
        throw new TaeError(`TAE resends only for pending documents; ${id} reads ${status}`, false, undefined, "refused", null, "resend_refused", { reason: "not_pending", status });
      }
      const wanted = recipient.email.trim().toLowerCase();
      if (!publication.pending.some((p) => p.email.trim().toLowerCase() === wanted)) {
        throw new TaeError(`${recipient.email} is not pending at TAE document ${id}`, false, undefined, "refused", null, "resend_refused", { reason: "recipient_not_pending", email: recipient.email });
      }
      // Not repeated on a lost answer: a second call would notify everyone pending again.
      await authed({ op: "resend", method: "POST", url: apiUrl + api.apiPaths.resendPending, json: api.resendBody(id), safeToRepeat: false }, author);
      log.info({ ref }, "TAE pending notifications resent");
    },

    async send(input) {
      checkSendInput(input);
      let id: number;
      if (input.existingRef) {
        id = docId(input.existingRef);
        const publication = await findPublication(input.existingRef, input.author);
        if (!publication) {
          throw new TaeError(`TAE document ${id} saved by an earlier attempt no longer exists; it is not created again`, false, undefined, "refused", api.notFoundMessage);
        }
        const found = api.documentStatus(publication.statusCode, publication.published);
        if (found === "cancelled") {
          // Published by an earlier attempt, then cancelled (in the portal, say): never published again.
          log.info({ ref: String(id) }, "TAE document of an earlier attempt was cancelled meanwhile");
          return { ref: String(id), status: "cancelled" };
        }
        if (found !== "draft") {
          log.info({ ref: String(id) }, "TAE document was already published by an earlier attempt");
          return { ref: String(id) };
        }
      } else {
        id = await upload(input);
        log.info({ ref: String(id), envelopeId: input.envelopeId }, "TAE document uploaded");
        await input.onReference(String(id));
      }
      await publish(id, input);
      log.info({ ref: String(id), envelopeId: input.envelopeId }, "TAE document published");
      return { ref: String(id) };
    },

    async status(ref, author) {
      docId(ref);
      const publication = await findPublication(ref, author);
      // A deleted document is gone for good: for obrasign it was withdrawn.
      if (!publication) return { status: "cancelled", rejectionReason: null, expiresAt: null, recipients: [] };
      return toState(publication);
    },

    async cancel(ref, author) {
      const id = docId(ref);
      const withdrawn = async () => {
        const publication = await findPublication(ref, author);
        return publication === null || api.documentStatus(publication.statusCode, true) === "cancelled";
      };
      try {
        await authed({ op: "cancel", method: "POST", url: apiUrl + api.apiPaths.cancel(ref), safeToRepeat: false }, author);
        log.info({ ref }, "TAE document cancelled");
        return "cancelled";
      } catch (error) {
        if (!(error instanceof TaeError)) throw error;
        if (error.ambiguous) {
          await settleAmbiguous("cancel", error, withdrawn);
          log.info({ ref }, "TAE document cancelled");
          return "cancelled";
        }
        // §7: some installations refuse to cancel a document that is not finished (HTTP 400, or
        // success false) yet allow deleting it until then. Only a refusal of a document that is
        // still open falls back; finished, already cancelled or gone stays the caller's answer.
        if (error.httpStatus !== 400 && error.kind !== "refused") throw error;
        const publication = await findPublication(ref, author).catch(() => undefined);
        const open = publication && (publication.statusCode === 0 || publication.statusCode === 1);
        if (!open) throw error;
        log.info({ ref, refusal: error.taeMessage }, "TAE refused to cancel an open document; deleting it instead");
      }
      try {
        await authed({ op: "delete document", method: "DELETE", url: apiUrl + api.apiPaths.deleteDocument, json: api.deleteBody(id), safeToRepeat: false }, author);
      } catch (error) {
        if (!(error instanceof TaeError) || !error.ambiguous) throw error;
        await settleAmbiguous("delete document", error, withdrawn);
      }
      log.info({ ref }, "TAE document deleted");
      return "deleted";
    },

    async addRecipient(ref, recipient, author) {
      const id = docId(ref);
      if (recipient.action === "observe") {
        throw new TaeError("TAE has no known call to add an observer after publishing", false, undefined, "input");
      }
      const body = api.addRecipientsBody(id, recipient, recipient.order !== null, roles);
      try {
        await authed({ op: "add recipient", method: "POST", url: apiUrl + api.apiPaths.addRecipients, json: body, safeToRepeat: false }, author);
      } catch (error) {
        if (!(error instanceof TaeError) || !error.ambiguous) throw error;
        await settleAmbiguous("add recipient", error, async () => {
          const state = await findPublication(ref, author);
          return presentIn(state, recipient.email);
        });
      }
    },

    async removeRecipient(ref, email, author) {
      const id = docId(ref);
      try {
        await authed(
          { op: "remove recipient", method: "DELETE", url: apiUrl + api.apiPaths.removeRecipient, json: api.removeRecipientBody(id, email), safeToRepeat: false },
          author,
        );
      } catch (error) {
        if (!(error instanceof TaeError) || !error.ambiguous) throw error;
        await settleAmbiguous("remove recipient", error, async () => {
          const state = await findPublication(ref, author);
          return state !== null && !presentIn(state, email);
        });
      }
    },

    async download(ref, kind: DownloadKind, author): Promise<ProviderFile> {
      docId(ref);
      const tipo = kind === "signed" ? api.tipoDownload.signed : api.tipoDownload.original;
      const call = (url: string) =>
        authed({ op: `download ${kind}`, method: "GET", url, safeToRepeat: true, binaryUpTo: api.maxDownloadBytes }, author);
      let data: unknown;
      try {
        data = await call(apiUrl + api.apiPaths.download(ref, tipo));
      } catch (error) {
        // Installations without the v1 download answer it from v2 (§7).
        if (!(error instanceof TaeError) || error.httpStatus !== 404 || isNotFound(error)) throw error;
        data = await call(apiUrl + api.apiPaths.downloadV2(ref, tipo));
      }
      let answer: api.TaeDownload;
      try {
        answer = api.readDownload(data);
      } catch (error) {
        throw new TaeError(`TAE download of ${ref}: ${(error as Error).message}`, true, 200, "invalid_answer");
      }
      const bytes = answer.kind === "bytes"
        ? answer.bytes
        : await fetchSignedFile(answer.url, { apiUrl, timeoutMs: timeoutMs * 4, maxBytes: api.maxDownloadBytes });
      if (bytes.length > api.maxDownloadBytes || !looksLikePdf(bytes)) {
        throw new TaeError(`TAE download of ${ref}: the file is not a PDF`, false, 200, "invalid_answer", null, "signed_file_invalid");
      }
      log.info({ ref, kind, via: answer.kind, bytes: bytes.length }, "TAE file downloaded");
      return { name: answer.name, bytes };
    },

    async ensureAuthor(author, options) {
      if (await userExists(author.email)) return { exists: true, created: false };
      if (!options.create) return { exists: false, created: false };
      // TAE requires a password at registration [one]; the user sets their own through the
      // confirmation e-mail TAE sends. This one is never stored or logged.
      const password = `${randomBytes(18).toString("base64url")}aA1!`;
      redactor.add(password);
      try {
        await authed({
          op: "register user",
          method: "POST",
          url: authUrl + api.authPaths.register,
          json: api.registerBody({ ...author, password }, config.companyCnpj ?? null),
          safeToRepeat: false,
        });
      } catch (error) {
        if (!(error instanceof TaeError)) throw error;
        if (error.ambiguous) {
          await settleAmbiguous("register user", error, () => userExists(author.email));
        } else if (await userExists(author.email).catch(() => false)) {
          // Created meanwhile (by someone else, or by our own lost earlier attempt).
          return { exists: true, created: false };
        } else {
          throw error;
        }
      } finally {
        redactor.forget(password);
      }
      log.info({ user: author.email }, "TAE user registered");
      return { exists: true, created: true };
    },

    async loginUser(email, password) {
      const grant = await login(email, password);
      return { token: grant.token, expiresAt: grant.expiresAt ?? new Date(now().getTime() + 12 * 60 * 60 * 1000) };
    },

    async profile(author) {
      const data = await authed({ op: "profile", method: "GET", url: authUrl + api.authPaths.profile, safeToRepeat: true }, author);
      const email = (data as { email?: unknown } | null)?.email;
      if (typeof email !== "string") throw new TaeError("TAE profile answer without an e-mail", true, 200, "invalid_answer");
      return { email };
    },

    async search(email, options = {}) {
      const data = await authed(
        {
          op: "search",
          method: "POST",
          url: apiUrl + api.apiPaths.search(options.page ?? 1, options.pageSize ?? 50),
          json: api.searchBody(email, options.wholeCompany ?? false),
          safeToRepeat: true,
        },
        options.author,
      );
      const found = api.readSearch(data);
      return {
        total: found.total,
        items: found.items.map((i) => ({ ref: i.id, name: i.name, status: i.statusCode === null ? null : (api.documentStatus(i.statusCode, false) ?? null) })),
      };
    },
  };
}

/** A standalone login for the "connect your TAE account" flow, without a service user. */
export async function loginTaeUser(
  config: { authUrl: string; allowPrivate: boolean; timeoutMs?: number; log?: TaeLog },
  email: string,
  password: string,
): Promise<TokenGrant> {
  const provider = createTotvsSignProvider({ ...config, apiUrl: config.authUrl, serviceUser: email, servicePassword: password });
  return provider.loginUser(email, password);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as Partial<T>;
}

function presentIn(publication: api.TaePublication | null, email: string): boolean {
  if (!publication) return false;
  const wanted = email.trim().toLowerCase();
  return [...publication.acted, ...publication.pending].some((r) => r.email.trim().toLowerCase() === wanted);
}

function normalize(message: string | null | undefined): string {
  return (message ?? "").trim().toLowerCase().replace(/[.!]+$/, "");
}

/** Every field and message goes through the redactor before reaching the injected logger. */
function redactingLog(log: TaeLog, redactor: Redactor): TaeLog {
  const wrap = (fn: ((fields: Record<string, unknown>, message: string) => void) | undefined) =>
    fn ? (fields: Record<string, unknown>, message: string) => fn.call(log, redactor.value(fields) as Record<string, unknown>, redactor.text(message)) : undefined;
  return { debug: wrap(log.debug), info: wrap(log.info)!, warn: wrap(log.warn)!, error: wrap(log.error)! };
}
