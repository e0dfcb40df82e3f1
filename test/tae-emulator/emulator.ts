/**
 * TAE emulator: a stateful HTTP server speaking the TOTVS Assinatura
 * Eletrônica REST API as described in /work/shared/TAE-API.md, i.e. as public
 * integrations use it. It follows that public information only; it is not a
 * copy of the service, and where TAE-API.md marks a gap the behaviour here is
 * our guess (see docs/decisions/003-totvs-sign-adapter.md).
 *
 * It listens on 127.0.0.1 (random port by default). Tests drive it through the
 * JS controls on the returned object (act as a recipient, expire, inject
 * faults, read counters); the same controls are served under `/__control` for
 * runs where the emulator is a separate process (see main.ts).
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { boundaryOf, parseMultipart } from "./multipart.js";
import { mergePdfs, signedCopy } from "./pdf.js";

// ---------------------------------------------------------------- types

export interface EmulatorUser {
  email: string;
  password: string;
  fullName: string;
  cpf?: string | null;
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  users?: EmulatorUser[];
  /** Lifetime of an issued token (default 12 hours, as ERP integrations assume). */
  tokenTtlMs?: number;
  /** HTTP status of the "Documento não encontrado." answer on the status route (default 200). */
  notFoundHttpStatus?: number;
  variants?: Partial<EmulatorVariants>;
}

/**
 * The answers that vary between TAE installations and versions (TAE-API.md §7),
 * each switchable so the adapter is tested against every one.
 */
export interface EmulatorVariants {
  /** The status a cancelled document reads back as: 7, or 5 as some installations answer. */
  cancelledStatus: 5 | 7;
  /** Timestamps truncated to the second, or with microseconds (`2022-12-05T17:27:35.146479`); never an offset. */
  dates: "seconds" | "microseconds";
  /**
   * How a download answers: `data.fileBytes` (base64); `data.signedURL`; the
   * raw PDF (`application/pdf`); or v1 missing (404) and v2 answering the URL
   * as a string `data`.
   */
  download: "fileBytes" | "signedURL" | "raw" | "v2Url";
  /** Where file URLs point: this emulator's own origin, or the same server named "localhost" (another origin, plain http). */
  fileHost: "api" | "elsewhere";
  /** Whether cancel refuses a document that is not finished (HTTP 400), as some installations do; delete still works then. */
  cancelRefused: boolean;
  /** Where a refused login puts its reason: `description`, or `messages[0].description` with an empty `description`. */
  loginError: "description" | "messages";
}

export const defaultVariants: EmulatorVariants = {
  cancelledStatus: 7, dates: "seconds", download: "fileBytes", fileHost: "api", cancelRefused: false, loginError: "description",
};

export type RouteName =
  | "login"
  | "register"
  | "profile"
  | "upload"
  | "publish"
  | "status"
  | "search"
  | "download"
  | "cancel"
  | "addRecipients"
  | "removeRecipient"
  | "recipientLinks"
  | "emailList"
  | "downloadV2"
  | "signedFile"
  | "resendPending"
  | "deleteDocument";

export interface EmulatorRecipient {
  email: string;
  nomeCompleto: string;
  acao: number;
  workflow: number;
  papelAssinante: string | null;
  tipoAutenticacao: number | null;
  tipoIdentificacao: number | null;
  identificacao: string | null;
  /** The JSON object exactly as received. */
  raw: Record<string, unknown>;
}

export interface EmulatorAct {
  email: string;
  nome: string;
  data: Date;
  acao: number;
  /** 1 acted, 3 rejected (our reading of the [gap] in TAE-API.md). */
  statusTipoAssinatura: number;
}

export interface EmulatorDocument {
  id: number;
  name: string;
  files: { name: string; contentType: string; bytes: Buffer }[];
  author: string;
  status: number;
  createdAt: Date;
  modifiedAt: Date;
  utilizaWorkflow: boolean;
  destinatarios: EmulatorRecipient[];
  observadores: Record<string, unknown>[];
  opcoes: Record<string, unknown> | null;
  acts: EmulatorAct[];
  motivoRejeicao: string | null;
  /** Every publish body received for this document, as parsed JSON. */
  publishBodies: unknown[];
  /** Every download served for this document (`tipoDownload`, name, bytes), oldest first. */
  downloads: { kind: number; fileName: string; bytes: Buffer }[];
  deleted: boolean;
  /** How many times `reenvia-email-pendentes` notified this document's pending recipients. */
  resends: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  route: RouteName | null;
  query: Record<string, string>;
  /** Parsed JSON body, or a summary of a multipart body; never the raw Authorization header. */
  body: unknown;
  authenticatedAs: string | null;
  /** Whether an Authorization header came at all (the signed-file URL must be fetched without one). */
  hadAuthorization: boolean;
  at: Date;
}

interface FaultMatch {
  /** Only calls to these routes (default: any route). */
  routes?: RouteName[];
}

type Fault =
  | { kind: "status"; remaining: number; status: number; routes?: RouteName[]; headers?: Record<string, string>; body?: string }
  | { kind: "drop"; remaining: number; afterProcessing: boolean; routes?: RouteName[] }
  | { kind: "logical"; remaining: number; message: string; routes?: RouteName[] };

export const DEFAULT_SERVICE_USER: EmulatorUser = {
  email: "servico@obrasign.test",
  password: "S3nha-do-Servico!",
  fullName: "Usuário de serviço obrasign",
};

const MAX_ENVELOPE_BYTES = 10 * 1024 * 1024;
const MAX_BODY_BYTES = 12 * 1024 * 1024;

const STATUS = { pending: 0, partial: 1, finished: 2, rejected: 4, draft: 5, cancelled: 7 } as const;
/** Either code a cancelled document may read back as. */
const isCancelled = (status: number) => status === 7 || status === 5;
const ACAO_OBSERVE = 3;

/** A handler's answer that is the file itself, not a JSON envelope. */
class RawFile {
  constructor(readonly bytes: Buffer, readonly contentType = "application/pdf") {}
}

class HttpFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

// ---------------------------------------------------------------- server

export async function startTaeEmulator(options: EmulatorOptions = {}) {
  const users = new Map<string, EmulatorUser>();
  for (const user of options.users ?? [DEFAULT_SERVICE_USER]) users.set(user.email.toLowerCase(), { ...user });
  const tokens = new Map<string, { email: string; expiresAt: number }>();
  const documents = new Map<number, EmulatorDocument>();
  let nextId = 1001;
  let tokenTtlMs = options.tokenTtlMs ?? 12 * 60 * 60 * 1000;
  // Token lifetimes follow this clock, so a test can move time instead of sleeping.
  let clockNow: () => number = Date.now;
  const notFoundHttpStatus = options.notFoundHttpStatus ?? 200;
  let variants: EmulatorVariants = { ...defaultVariants, ...options.variants };
  let baseUrl = "";
  /** Documents published at least once: a cancelled one may read 5 like a draft, but is not one. */
  const everPublished = new Set<number>();
  const isDraft = (doc: EmulatorDocument) => doc.status === STATUS.draft && !everPublished.has(doc.id);

  /** TAE writes timestamps as UTC without an offset; microseconds in one variant. */
  function stamp(date: Date): string {
    const seconds = date.toISOString().slice(0, 19);
    if (variants.dates === "seconds") return seconds;
    // Six fractional digits, as .NET writes them: the last three are below a millisecond.
    return `${seconds}.${String(date.getUTCMilliseconds()).padStart(3, "0")}479`;
  }

  let faults: Fault[] = [];
  let latency: { ms: number; routes?: RouteName[] } = { ms: 0 };
  let counters = freshCounters();
  const calls: RecordedCall[] = [];
  const sockets = new Set<import("node:net").Socket>();

  function freshCounters() {
    return { logins: 0, failedLogins: 0, uploads: 0, publishes: 0, unauthorized: 0, calls: {} as Record<string, number> };
  }

  // ------------------------------------------------------------ routes

  interface Ctx {
    req: http.IncomingMessage;
    params: string[];
    query: URLSearchParams;
    body: Buffer;
    json: () => Record<string, unknown>;
    user: string | null;
  }
  type Handler = (ctx: Ctx) => Promise<unknown> | unknown;
  interface Route {
    name: RouteName;
    method: string;
    pattern: RegExp;
    family: "identity" | "documents";
    auth: boolean;
    handler: Handler;
  }

  const routes: Route[] = [];
  const route = (name: RouteName, method: string, path: string, family: Route["family"], auth: boolean, handler: Handler) => {
    // ASP.NET routing is case-insensitive; so is the emulator's.
    const pattern = new RegExp(`^${path.replace(/\{[a-z]+\}/gi, "([^/]+)")}/?$`, "i");
    routes.push({ name, method, pattern, family, auth, handler });
  };

  for (const path of ["/identityintegration/v2/auth/login", "/identityintegration/api/auth/login", "/identityintegration/v3/auth/login"]) {
    route("login", "POST", path, "identity", false, ({ json }) => {
      const body = json();
      const email = String(body.userName ?? "").toLowerCase();
      const user = users.get(email);
      if (!user || user.password !== body.password) {
        counters.failedLogins++;
        throw new HttpFailure(401, "Usuário ou senha inválidos.");
      }
      counters.logins++;
      const token = `tae.${randomBytes(48).toString("base64url")}`;
      const expiresAt = clockNow() + tokenTtlMs;
      tokens.set(token, { email: user.email, expiresAt });
      return {
        token,
        refreshToken: randomBytes(24).toString("base64url"),
        // UTC without an offset, as TAE writes it.
        expirationDate: stamp(new Date(expiresAt)),
      };
    });
  }

  route("register", "POST", "/identityintegration/api/users/register", "identity", true, ({ json }) => {
    const body = json();
    const email = String(body.email ?? "").trim();
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new HttpFailure(400, "E-mail inválido.");
    if (users.has(email.toLowerCase())) throw new HttpFailure(400, "Usuário já cadastrado.");
    if (body.acceptedTerm !== true) throw new HttpFailure(400, "É necessário aceitar o termo de uso.");
    users.set(email.toLowerCase(), {
      email,
      password: String(body.password ?? ""),
      fullName: String(body.fullName ?? ""),
      cpf: body.cpf == null ? null : String(body.cpf),
    });
    return { email };
  });

  route("profile", "GET", "/identityintegration/api/users/profile", "identity", true, ({ user }) => {
    const found = users.get(user!.toLowerCase())!;
    return { email: found.email, fullName: found.fullName, cpf: found.cpf ?? null };
  });

  route("upload", "POST", "/documents/v1/envelopes/upload", "documents", true, ({ req, body, user }) => {
    const boundary = boundaryOf(req.headers["content-type"]);
    if (!boundary) throw new HttpFailure(400, "Requisição deve ser multipart/form-data.");
    let parts;
    try {
      parts = parseMultipart(body, boundary);
    } catch (error) {
      throw new HttpFailure(400, `Multipart inválido: ${(error as Error).message}`);
    }
    const name = parts.find((p) => p.name === "NomeEnvelope" && p.filename === null)?.data.toString("utf8").trim();
    const files = parts.filter((p) => p.name === "Envelope" && p.filename !== null);
    if (!name) throw new HttpFailure(400, "O campo NomeEnvelope é obrigatório.");
    if (files.length === 0) throw new HttpFailure(400, "Nenhum arquivo enviado no campo Envelope.");
    const total = files.reduce((sum, f) => sum + f.data.length, 0);
    if (total > MAX_ENVELOPE_BYTES) throw new HttpFailure(400, "O envelope excede o tamanho máximo de 10 MB.");
    for (const file of files) {
      if (file.data.subarray(0, 5).toString("latin1") !== "%PDF-") {
        throw new HttpFailure(400, `Arquivo ${file.filename} não é um PDF válido.`);
      }
    }
    counters.uploads++;
    const now = new Date();
    const doc: EmulatorDocument = {
      id: nextId++,
      name,
      files: files.map((f) => ({ name: f.filename!, contentType: f.contentType ?? "application/octet-stream", bytes: f.data })),
      author: user!,
      status: STATUS.draft,
      createdAt: now,
      modifiedAt: now,
      utilizaWorkflow: false,
      destinatarios: [],
      observadores: [],
      opcoes: null,
      acts: [],
      motivoRejeicao: null,
      publishBodies: [],
      downloads: [],
      deleted: false,
      resends: 0,
    };
    documents.set(doc.id, doc);
    return doc.id;
  });

  const publish: Handler = ({ json }) => {
    const body = json();
    const doc = findDocument(body.idDocumento);
    doc.publishBodies.push(structuredClone(body));
    if (!isDraft(doc)) throw new HttpFailure(400, "Documento já publicado.");
    const destinatarios = readRecipients(body.destinatarios);
    if (destinatarios.length === 0) throw new HttpFailure(400, "Informe ao menos um destinatário.");
    const observadores = Array.isArray(body.observadores) ? (body.observadores as Record<string, unknown>[]) : [];
    assertNoDuplicates([...destinatarios.map((d) => d.email), ...observadores.map((o) => String(o.email ?? ""))]);
    const opcoes = (body.publicacaoOpcoes ?? null) as Record<string, unknown> | null;
    if (opcoes?.dataExpiracao != null && Number.isNaN(Date.parse(String(opcoes.dataExpiracao)))) {
      throw new HttpFailure(400, "dataExpiracao inválida.");
    }
    counters.publishes++;
    doc.utilizaWorkflow = body.utilizaWorkflow === true;
    doc.destinatarios = destinatarios;
    doc.observadores = observadores;
    doc.opcoes = opcoes;
    doc.status = STATUS.pending;
    everPublished.add(doc.id);
    doc.modifiedAt = new Date();
    return true;
  };
  route("publish", "POST", "/documents/v1/publicacoes", "documents", true, publish);
  route("publish", "POST", "/signintegration/v2/Publicacoes", "documents", true, publish);

  route("search", "POST", "/documents/v2/publicacoes/pesquisas", "documents", true, ({ json, query, user }) => {
    const body = json();
    const page = Math.max(1, Number(query.get("PaginaAtual") ?? 1));
    const size = Math.min(100, Math.max(1, Number(query.get("TamanhoPagina") ?? 50)));
    const email = String(body.email ?? user).toLowerCase();
    const all = body.pesquisarEmTodaEmpresa === true;
    const found = [...documents.values()].filter((d) => !d.deleted && (all || d.author.toLowerCase() === email));
    return {
      total: found.length,
      registro: found.slice((page - 1) * size, page * size).map((d) => ({
        id: d.id,
        idDocumento: d.id,
        nomeArquivo: d.name,
        status: d.status,
        autor: d.author,
        recCreatedOn: stamp(d.createdAt),
        recModifiedOn: stamp(d.modifiedAt),
      })),
    };
  });

  route("status", "GET", "/documents/v2/publicacoes/{id}", "documents", true, ({ params }) => {
    const doc = findDocument(params[0], notFoundHttpStatus);
    const acted = new Set(doc.acts.map((a) => a.email.toLowerCase()));
    const turn = currentTurn(doc);
    return {
      id: doc.id,
      status: doc.status,
      nomeArquivo: doc.name,
      recCreatedOn: stamp(doc.createdAt),
      recModifiedOn: stamp(doc.modifiedAt),
      motivoRejeicao: doc.motivoRejeicao,
      publicacaoOpcoes: doc.opcoes ? { ...doc.opcoes } : null,
      assinantes: doc.acts.map((a) => ({
        email: a.email,
        nome: a.nome,
        data: stamp(a.data),
        acao: a.acao,
        statusTipoAssinatura: a.statusTipoAssinatura,
      })),
      pendentes: doc.destinatarios
        .filter((d) => !acted.has(d.email.toLowerCase()))
        .map((d) => ({ email: d.email, acao: d.acao, pendente: turn === null || d.workflow === turn })),
    };
  });

  async function downloadFile(id: unknown, kindText: string | null) {
    const doc = findDocument(id);
    const kind = Number(kindText);
    if (![1, 2, 3, 4].includes(kind)) throw new HttpFailure(400, "tipoDownload inválido.");
    if (kind === 4) throw new HttpFailure(400, "tipoDownload 4 (zip) não é emulado.");
    const original = await mergePdfs(doc.files.map((f) => f.bytes));
    const baseName = doc.files.length === 1 ? doc.files[0].name.replace(/\.pdf$/i, "") : doc.name;
    if (kind === 1) return { doc, kind, bytes: original, fileName: `${baseName}.pdf` };
    if (doc.status !== STATUS.finished) throw new HttpFailure(400, "O documento ainda não foi finalizado.");
    const lines = doc.acts.map((a) => `${a.nome} <${a.email}> acao ${a.acao} em ${stamp(a.data)}Z`);
    const signed = await signedCopy(original, lines, kind === 3);
    return { doc, kind, bytes: signed, fileName: `${baseName}_assinado.pdf` };
  }

  /** Files served by URL, without a token (`/__files/{key}/{name}`), as TAE's storage would. */
  const fileUrls = new Map<string, Buffer>();
  function fileUrl(bytes: Buffer, fileName: string): string {
    const key = randomBytes(12).toString("hex");
    fileUrls.set(key, bytes);
    const origin = variants.fileHost === "api" ? baseUrl : baseUrl.replace("127.0.0.1", "localhost");
    // A query string like a presigned URL's: it must never reach a log.
    return `${origin}/__files/${key}/${encodeURIComponent(fileName)}?X-Amz-Signature=${randomBytes(16).toString("hex")}`;
  }

  route("download", "GET", "/documents/v1/publicacoes/{id}/download", "documents", true, async ({ params, query }) => {
    if (variants.download === "v2Url") throw new HttpFailure(404, "Not Found");
    const file = await downloadFile(params[0], query.get("tipoDownload"));
    return served(file.doc, file.kind, file.bytes, file.fileName);
  });

  route("downloadV2", "GET", "/documents/v2/publicacoes/{id}/download", "documents", true, async ({ params, query }) => {
    const file = await downloadFile(params[0], query.get("tipoDownload"));
    file.doc.downloads.push({ kind: file.kind, fileName: file.fileName, bytes: file.bytes });
    return fileUrl(file.bytes, file.fileName);
  });

  /** A download answer, kept so tests can compare what a client stored with what was served. */
  function served(doc: EmulatorDocument, kind: number, bytes: Buffer, fileName: string) {
    doc.downloads.push({ kind, fileName, bytes });
    if (variants.download === "raw") return new RawFile(bytes);
    if (variants.download === "signedURL") return { signedURL: fileUrl(bytes, fileName), fileName };
    return { fileBytes: bytes.toString("base64"), fileName };
  }

  route("cancel", "POST", "/documents/v1/publicacoes/{id}/cancelar", "documents", true, ({ params }) => {
    const doc = findDocument(params[0]);
    if (doc.status === STATUS.finished) throw new HttpFailure(400, "Não é possível cancelar um documento finalizado.");
    if (isCancelled(doc.status) && !isDraft(doc)) throw new HttpFailure(400, "O documento já está cancelado.");
    if (variants.cancelRefused) throw new HttpFailure(400, "Não é possível cancelar um documento que não está finalizado.");
    cancelDocument(doc);
    return true;
  });

  // §7: delete a document, allowed until it is finished; afterwards it reads "Documento não encontrado.".
  route("deleteDocument", "DELETE", "/signintegration/v2/Publicacoes", "documents", true, ({ json }) => {
    const doc = findDocument(json().idDocumento);
    if (doc.status === STATUS.finished) throw new HttpFailure(400, "Não é possível excluir um documento finalizado.");
    doc.deleted = true;
    return true;
  });

  // §7: resend the pending recipients' notifications; only for documents in status 0.
  route("resendPending", "POST", "/signintegration/v2/Publicacoes/reenvia-email-pendentes", "documents", true, ({ json }) => {
    const ids = json().listaDocumentos;
    if (!Array.isArray(ids) || ids.length === 0) throw new HttpFailure(400, "Informe listaDocumentos.");
    const docs = ids.map((id) => findDocument(id));
    for (const doc of docs) if (doc.status !== STATUS.pending) throw new HttpFailure(400, `O documento ${doc.id} não está pendente.`);
    for (const doc of docs) doc.resends++;
    return true;
  });

  route("addRecipients", "POST", "/signintegration/v2/Publicacoes/destinatario-list", "documents", true, ({ json }) => {
    const body = json();
    const doc = findDocument(body.idDocumento);
    assertOpen(doc);
    const added = readRecipients(body.destinatarios);
    if (added.length === 0) throw new HttpFailure(400, "Informe ao menos um destinatário.");
    assertNoDuplicates([
      ...doc.destinatarios.map((d) => d.email),
      ...doc.observadores.map((o) => String(o.email ?? "")),
      ...added.map((d) => d.email),
    ]);
    doc.destinatarios.push(...added);
    refreshStatus(doc);
    return true;
  });

  route("removeRecipient", "DELETE", "/signintegration/v2/Publicacoes/destinatario", "documents", true, ({ json }) => {
    const body = json();
    const doc = findDocument(body.idDocumento);
    assertOpen(doc);
    const email = String(body.emailDestinatario ?? "").toLowerCase();
    const index = doc.destinatarios.findIndex((d) => d.email.toLowerCase() === email);
    if (index < 0) throw new HttpFailure(400, "Destinatário não encontrado no documento.");
    if (doc.acts.some((a) => a.email.toLowerCase() === email)) {
      throw new HttpFailure(400, "Não é possível remover um destinatário que já assinou.");
    }
    if (doc.destinatarios.length === 1) throw new HttpFailure(400, "O documento deve ter ao menos um destinatário.");
    doc.destinatarios.splice(index, 1);
    refreshStatus(doc);
    return true;
  });

  route("recipientLinks", "POST", "/documents/v1/publicacoes/{id}/destinatarios", "documents", true, ({ params }) => {
    const doc = findDocument(params[0]);
    return doc.destinatarios.map((d) => ({ email: d.email, publicKey: `${doc.id}-${Buffer.from(d.email).toString("base64url")}` }));
  });

  route("emailList", "GET", "/signintegration/v2/Usuarios/email-list", "documents", true, ({ query }) => {
    const filter = (query.get("Filter") ?? "").toLowerCase();
    const take = Math.max(1, Math.min(100, Number(query.get("Take") ?? 10)));
    // A "contains" filter, like a search box: callers must match the exact e-mail themselves.
    return [...users.values()]
      .filter((u) => u.email.toLowerCase().includes(filter))
      .slice(0, take)
      .map((u) => ({ email: u.email, nome: u.fullName }));
  });

  // ------------------------------------------------------------ document rules

  function findDocument(idValue: unknown, notFoundStatus = 400): EmulatorDocument {
    const id = Number(idValue);
    const doc = Number.isInteger(id) ? documents.get(id) : undefined;
    if (!doc || doc.deleted) throw new HttpFailure(notFoundStatus, "Documento não encontrado.");
    return doc;
  }

  function readRecipients(value: unknown): EmulatorRecipient[] {
    if (!Array.isArray(value)) return [];
    return value.map((raw: Record<string, unknown>) => {
      const email = String(raw.email ?? "").trim();
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new HttpFailure(400, `E-mail de destinatário inválido: ${email}`);
      const acao = Number(raw.acao ?? 0);
      if (acao === ACAO_OBSERVE) throw new HttpFailure(400, `Observadores devem ir em observadores: ${email}.`);
      if (![0, 1, 2, 4].includes(acao)) throw new HttpFailure(400, `Ação inválida para ${email}.`);
      return {
        email,
        nomeCompleto: String(raw.nomeCompleto ?? ""),
        acao,
        workflow: Number(raw.workflow ?? 0),
        papelAssinante: raw.papelAssinante == null ? null : String(raw.papelAssinante),
        tipoAutenticacao: raw.tipoAutenticacao == null ? null : Number(raw.tipoAutenticacao),
        tipoIdentificacao: raw.tipoIdentificacao == null ? null : Number(raw.tipoIdentificacao),
        identificacao: raw.identificacao == null ? null : String(raw.identificacao),
        raw: structuredClone(raw),
      };
    });
  }

  function assertNoDuplicates(emails: string[]) {
    const seen = new Set<string>();
    for (const email of emails.map((e) => e.toLowerCase())) {
      if (seen.has(email)) throw new HttpFailure(400, `Destinatário duplicado: ${email}`);
      seen.add(email);
    }
  }

  function isExpired(doc: EmulatorDocument): boolean {
    const at = doc.opcoes?.dataExpiracao;
    return at != null && Date.parse(String(at)) < Date.now();
  }

  function assertOpen(doc: EmulatorDocument) {
    if (doc.status !== STATUS.pending && doc.status !== STATUS.partial) {
      throw new HttpFailure(400, "O documento não está pendente de assinatura.");
    }
    if (isExpired(doc)) throw new HttpFailure(400, "O documento está expirado.");
  }

  function cancelDocument(doc: EmulatorDocument) {
    doc.status = variants.cancelledStatus;
    doc.modifiedAt = new Date();
  }

  /** The lowest workflow step with someone still to act, or null without a workflow. */
  function currentTurn(doc: EmulatorDocument): number | null {
    if (!doc.utilizaWorkflow) return null;
    const acted = new Set(doc.acts.map((a) => a.email.toLowerCase()));
    const waiting = doc.destinatarios.filter((d) => !acted.has(d.email.toLowerCase())).map((d) => d.workflow);
    return waiting.length === 0 ? null : Math.min(...waiting);
  }

  function refreshStatus(doc: EmulatorDocument) {
    const acted = new Set(doc.acts.filter((a) => a.statusTipoAssinatura !== 3).map((a) => a.email.toLowerCase()));
    const relevant = doc.destinatarios.filter((d) => acted.has(d.email.toLowerCase())).length;
    if (relevant === doc.destinatarios.length) doc.status = STATUS.finished;
    else doc.status = relevant > 0 ? STATUS.partial : STATUS.pending;
    doc.modifiedAt = new Date();
  }

  // ------------------------------------------------------------ HTTP plumbing

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent && !res.destroyed) writeJson(res, 500, { success: false, message: String(error) });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://emulator");
    const body = await readBody(req);
    if (body === null) {
      writeJson(res, 413, { success: false, message: "Requisição muito grande." });
      return;
    }
    if (url.pathname.startsWith("/__control")) {
      await control(req, res, url, body);
      return;
    }

    const method = (req.method ?? "GET").toUpperCase();
    const fileMatch = /^\/__files\/([0-9a-f]+)\//.exec(url.pathname);
    if (fileMatch) {
      calls.push({ method, path: url.pathname, route: "signedFile", query: {}, body: null, authenticatedAs: null, hadAuthorization: req.headers.authorization !== undefined, at: new Date() });
      counters.calls.signedFile = (counters.calls.signedFile ?? 0) + 1;
      const bytes = fileUrls.get(fileMatch[1]);
      if (!bytes || method !== "GET") {
        res.writeHead(404, { "content-type": "text/plain" }).end("NoSuchKey");
        return;
      }
      res.writeHead(200, { "content-type": "application/pdf", "content-length": bytes.length }).end(bytes);
      return;
    }
    let params: string[] = [];
    const found = routes.find((r) => {
      if (r.method !== method) return false;
      const match = r.pattern.exec(url.pathname);
      if (match) params = match.slice(1).map(decodeURIComponent);
      return match !== null;
    });
    const routeKey = found ? `${method} ${found.pattern.source}` : `${method} ${url.pathname}`;
    const name = found?.name ?? null;
    counters.calls[name ?? routeKey] = (counters.calls[name ?? routeKey] ?? 0) + 1;

    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? null;
    const session = bearer ? tokens.get(bearer) : undefined;
    const user = session && session.expiresAt > clockNow() ? session.email : null;
    calls.push({
      method,
      path: url.pathname,
      route: name,
      query: Object.fromEntries(url.searchParams),
      body: summarizeBody(req, body),
      authenticatedAs: user,
      hadAuthorization: req.headers.authorization !== undefined,
      at: new Date(),
    });

    if (latency.ms > 0 && matches(latency.routes, name)) await sleep(latency.ms);
    if (res.destroyed) return;

    const fault = takeFault(name);
    if (fault?.kind === "drop" && !fault.afterProcessing) {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "status") {
      if (fault.body !== undefined) {
        // A body of its own (CloudFront's HTML page, say) with its headers.
        res.writeHead(fault.status, { "content-type": "text/html", ...fault.headers }).end(fault.body);
        return;
      }
      res.setHeader("x-emulator-fault", "1");
      for (const [k, v] of Object.entries(fault.headers ?? {})) res.setHeader(k, v);
      writeJson(res, fault.status, { success: false, message: fault.status === 403 ? "Usuário sem permissão para esta operação." : "Erro interno (falha injetada).", errors: [] });
      return;
    }
    if (!found) {
      writeJson(res, 404, { success: false, message: `Rota não encontrada: ${method} ${url.pathname}`, errors: [] });
      return;
    }
    const envelope = found.family === "identity" ? identityEnvelope : documentsEnvelope;
    if (fault?.kind === "logical") {
      writeJson(res, 200, envelope(false, null, fault.message));
      return;
    }
    if (found.auth && !user) {
      counters.unauthorized++;
      writeJson(res, 401, envelope(false, null, "Token inválido ou expirado."));
      return;
    }

    let status = 200;
    let payload: unknown;
    try {
      const data = await found.handler({
        req,
        params,
        query: url.searchParams,
        body,
        user,
        json: () => parseJson(body),
      });
      if (data instanceof RawFile) {
        res.writeHead(200, { "content-type": data.contentType, "content-length": data.bytes.length }).end(data.bytes);
        return;
      }
      payload = envelope(true, data, found.family === "identity" ? "" : "Operação realizada com sucesso.");
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      status = error.status;
      payload = envelope(false, null, error.message);
    }
    if (fault?.kind === "drop" && fault.afterProcessing) {
      req.socket.destroy();
      return;
    }
    writeJson(res, status, payload);
  }

  function identityEnvelope(ok: boolean, data: unknown, message: string) {
    // Some identity answers put the reason in a list of messages, the top-level description left empty (§7).
    if (!ok && variants.loginError === "messages") return { succeeded: false, description: "", messages: [{ code: "auth", description: message }], data };
    return { succeeded: ok, description: message, data };
  }
  function documentsEnvelope(ok: boolean, data: unknown, message: string) {
    return { success: ok, data, errors: ok ? [] : [message], message };
  }

  function takeFault(name: RouteName | null): Fault | undefined {
    const fault = faults.find((f) => f.remaining > 0 && matches(f.routes, name));
    if (!fault) return undefined;
    fault.remaining--;
    faults = faults.filter((f) => f.remaining > 0);
    return fault;
  }

  function matches(routesFilter: RouteName[] | undefined, name: RouteName | null): boolean {
    return !routesFilter || (name !== null && routesFilter.includes(name));
  }

  function summarizeBody(req: http.IncomingMessage, body: Buffer): unknown {
    if (body.length === 0) return null;
    const boundary = boundaryOf(req.headers["content-type"]);
    if (boundary) {
      try {
        return parseMultipart(body, boundary).map((p) => ({
          name: p.name,
          filename: p.filename,
          contentType: p.contentType,
          size: p.data.length,
          text: p.filename === null ? p.data.toString("utf8") : undefined,
        }));
      } catch {
        return { multipart: "unreadable", size: body.length };
      }
    }
    try {
      return JSON.parse(body.toString("utf8"));
    } catch {
      return { raw: body.toString("utf8").slice(0, 200) };
    }
  }

  // ------------------------------------------------------------ controls

  function act(id: number, email: string, at = new Date()): EmulatorDocument {
    const doc = findDocument(id);
    assertOpen(doc);
    const recipient = doc.destinatarios.find((d) => d.email.toLowerCase() === email.toLowerCase());
    if (!recipient) throw new Error(`${email} is not a recipient of document ${id}`);
    if (doc.acts.some((a) => a.email.toLowerCase() === email.toLowerCase())) throw new Error(`${email} already acted on ${id}`);
    const turn = currentTurn(doc);
    if (turn !== null && recipient.workflow !== turn) {
      throw new Error(`not ${email}'s turn on document ${id} (workflow step ${turn} first)`);
    }
    doc.acts.push({ email: recipient.email, nome: recipient.nomeCompleto, data: at, acao: recipient.acao, statusTipoAssinatura: 1 });
    refreshStatus(doc);
    return doc;
  }

  function reject(id: number, email: string, reason: string, at = new Date()): EmulatorDocument {
    const doc = findDocument(id);
    assertOpen(doc);
    if (doc.opcoes?.permiteRejeitarDocumento === false) throw new Error(`document ${id} does not allow rejection`);
    const recipient = doc.destinatarios.find((d) => d.email.toLowerCase() === email.toLowerCase());
    if (!recipient) throw new Error(`${email} is not a recipient of document ${id}`);
    doc.acts.push({ email: recipient.email, nome: recipient.nomeCompleto, data: at, acao: recipient.acao, statusTipoAssinatura: 3 });
    doc.status = STATUS.rejected;
    doc.motivoRejeicao = reason;
    doc.modifiedAt = new Date();
    return doc;
  }

  /** Moves the deadline into the past: nobody can act any more (the status code stays; TAE has none for it). */
  function expire(id: number): EmulatorDocument {
    const doc = findDocument(id);
    doc.opcoes = { ...(doc.opcoes ?? { idDocumento: doc.id }), dataExpiracao: new Date(Date.now() - 60_000).toISOString() };
    doc.modifiedAt = new Date();
    return doc;
  }

  /** As if cancelled in the portal: the status reads the variant's cancelled code. */
  function cancelInPortal(id: number): EmulatorDocument {
    const doc = findDocument(id);
    assertOpen(doc);
    cancelDocument(doc);
    return doc;
  }

  /**
   * As if re-opened in the portal: a rejected document is pending again; the
   * refusal is taken back (the rejecting recipient may act again).
   */
  function reopen(id: number): EmulatorDocument {
    const doc = findDocument(id);
    if (doc.status !== STATUS.rejected) throw new Error(`document ${id} is not rejected (status ${doc.status})`);
    doc.acts = doc.acts.filter((a) => a.statusTipoAssinatura !== 3);
    doc.motivoRejeicao = null;
    refreshStatus(doc);
    return doc;
  }

  /** Forces a status code (e.g. one the adapter does not know). */
  function setStatus(id: number, status: number): EmulatorDocument {
    const doc = findDocument(id);
    doc.status = status;
    return doc;
  }

  /** As if deleted in the portal: every call then answers "Documento não encontrado.". */
  function deleteDocument(id: number) {
    findDocument(id).deleted = true;
  }

  const controls = {
    act,
    sign: act,
    reject,
    expire,
    deleteDocument,
    cancelInPortal,
    reopen,
    setStatus,
    variants: () => ({ ...variants }),
    /** Switches answer variants (see EmulatorVariants); the others stay as they are. */
    setVariants: (changes: Partial<EmulatorVariants>) => void (variants = { ...variants, ...changes }),
    resetVariants: () => void (variants = { ...defaultVariants, ...options.variants }),
    documents: () => [...documents.values()],
    document: (id: number | string) => documents.get(Number(id)),
    calls: (routeName?: RouteName) => (routeName ? calls.filter((c) => c.route === routeName) : [...calls]),
    counters: () => structuredClone(counters),
    resetCounters: () => {
      counters = freshCounters();
      calls.length = 0;
    },
    users: () => [...users.values()].map((u) => ({ ...u })),
    addUser: (user: EmulatorUser) => void users.set(user.email.toLowerCase(), { ...user }),
    setTokenTtl: (ms: number) => void (tokenTtlMs = ms),
    /** The clock token lifetimes follow (the system clock by default). */
    setClock: (now: () => number) => void (clockNow = now),
    expireAllTokens: () => tokens.clear(),
    setLatency: (ms: number, match: FaultMatch = {}) => void (latency = { ms, routes: match.routes }),
    failNext: (count: number, options: FaultMatch & { status?: number; headers?: Record<string, string>; body?: string } = {}) =>
      void faults.push({ kind: "status", remaining: count, status: options.status ?? 503, routes: options.routes, headers: options.headers, body: options.body }),
    /** TAE's firewall: HTTP 403 from CloudFront (its header and HTML page), as §7 describes for blocked files. */
    blockByFirewallNext: (count = 1, match: FaultMatch = { routes: ["upload"] }) =>
      void faults.push({
        kind: "status", remaining: count, status: 403, routes: match.routes, headers: { server: "CloudFront", "x-cache": "Error from cloudfront" },
        body: "<HTML><HEAD><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD><BODY><H1>403 ERROR</H1>Request blocked.</BODY></HTML>",
      }),
    dropNext: (count: number, options: FaultMatch & { afterProcessing?: boolean } = {}) =>
      void faults.push({ kind: "drop", remaining: count, afterProcessing: options.afterProcessing ?? false, routes: options.routes }),
    failLogicallyNext: (message: string, options: FaultMatch & { count?: number } = {}) =>
      void faults.push({ kind: "logical", remaining: options.count ?? 1, message, routes: options.routes }),
    clearFaults: () => {
      faults = [];
      latency = { ms: 0 };
    },
  };

  async function control(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: Buffer) {
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname.replace(/^\/__control/, "");
    const input = body.length ? parseJson(body) : {};
    const docMatch = /^\/documents\/(\d+)(?:\/(act|sign|reject|expire|cancel|reopen))?$/.exec(path);
    try {
      let out: unknown = { ok: true };
      if (method === "GET" && path === "/documents") out = controls.documents().map(describe);
      else if (method === "GET" && path === "/counters") out = controls.counters();
      else if (method === "GET" && path === "/calls") out = controls.calls();
      else if (method === "POST" && path === "/reset") controls.resetCounters();
      else if (docMatch && method === "GET" && !docMatch[2]) out = describe(findDocument(docMatch[1]));
      else if (docMatch && method === "DELETE" && !docMatch[2]) deleteDocument(Number(docMatch[1]));
      else if (docMatch && (docMatch[2] === "act" || docMatch[2] === "sign")) out = describe(act(Number(docMatch[1]), String(input.email)));
      else if (docMatch && docMatch[2] === "reject") out = describe(reject(Number(docMatch[1]), String(input.email), String(input.reason ?? "")));
      else if (docMatch && docMatch[2] === "expire") out = describe(expire(Number(docMatch[1])));
      else if (method === "POST" && path === "/users") controls.addUser(input as unknown as EmulatorUser);
      else if (method === "POST" && path === "/variants") controls.setVariants(input as Partial<EmulatorVariants>);
      else if (method === "GET" && path === "/variants") out = controls.variants();
      else if (docMatch && method === "POST" && docMatch[2] === "cancel") out = describe(cancelInPortal(Number(docMatch[1])));
      else if (docMatch && method === "POST" && docMatch[2] === "reopen") out = describe(reopen(Number(docMatch[1])));
      else if (method === "POST" && path === "/faults") {
        const routesFilter = input.routes as RouteName[] | undefined;
        if (typeof input.latencyMs === "number") controls.setLatency(input.latencyMs, { routes: routesFilter });
        if (typeof input.failNext === "number") controls.failNext(input.failNext, { status: input.status as number | undefined, routes: routesFilter });
        if (typeof input.dropNext === "number") controls.dropNext(input.dropNext, { afterProcessing: input.afterProcessing === true, routes: routesFilter });
        if (typeof input.logicalFailure === "string") controls.failLogicallyNext(input.logicalFailure, { routes: routesFilter });
        if (input.expireTokens === true) controls.expireAllTokens();
      } else if (method === "DELETE" && path === "/faults") controls.clearFaults();
      else throw new HttpFailure(404, `unknown control ${method} ${path}`);
      writeJson(res, 200, out);
    } catch (error) {
      writeJson(res, error instanceof HttpFailure ? error.status : 400, { error: (error as Error).message });
    }
  }

  function describe(doc: EmulatorDocument) {
    return {
      id: doc.id,
      name: doc.name,
      status: doc.status,
      author: doc.author,
      files: doc.files.map((f) => ({ name: f.name, size: f.bytes.length })),
      destinatarios: doc.destinatarios.map((d) => d.raw),
      observadores: doc.observadores,
      opcoes: doc.opcoes,
      acts: doc.acts,
      motivoRejeicao: doc.motivoRejeicao,
      deleted: doc.deleted,
      resends: doc.resends,
    };
  }

  // ------------------------------------------------------------ start

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  baseUrl = url;

  return {
    url,
    /** The "URL de autenticação" setting. */
    authUrl: `${url}/identityintegration`,
    /** The "URL da API de integração" setting. */
    apiUrl: url,
    serviceUser: { ...(options.users?.[0] ?? DEFAULT_SERVICE_USER) },
    ...controls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export type TaeEmulator = Awaited<ReturnType<typeof startTaeEmulator>>;

// ---------------------------------------------------------------- helpers

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString("utf8") || "{}");
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new HttpFailure(400, "Corpo JSON inválido.");
}

function writeJson(res: http.ServerResponse, status: number, payload: unknown) {
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
