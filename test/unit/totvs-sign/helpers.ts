import { PDFDocument, StandardFonts } from "pdf-lib";
import type { ProviderAuthor, ProviderRecipient, SendInput } from "../../../src/platform/providers/port.js";
import { createTotvsSignProvider, type TotvsSignConfig } from "../../../src/modules/providers/totvs-sign/index.js";
import type { TaeEmulator } from "../../tae-emulator/index.js";

export async function makePdf(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 12, font });
  return new Uint8Array(await doc.save());
}

export interface CapturedLog {
  lines: string[];
  log: NonNullable<TotvsSignConfig["log"]>;
}

/** A logger that keeps every line as the JSON a real logger would print. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const push = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void lines.push(JSON.stringify({ level, message, ...fields }));
  return { lines, log: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") } };
}

export function providerFor(emu: TaeEmulator, overrides: Partial<TotvsSignConfig> = {}) {
  const captured = captureLog();
  const provider = createTotvsSignProvider({
    authUrl: emu.authUrl,
    apiUrl: emu.apiUrl,
    serviceUser: emu.serviceUser.email,
    servicePassword: emu.serviceUser.password,
    // The emulator listens on http loopback.
    allowPrivate: true,
    timeoutMs: 1_000,
    retries: 2,
    retryDelayMs: 10,
    log: captured.log,
    ...overrides,
  });
  return { provider, logLines: captured.lines };
}

export const serviceAuthor: ProviderAuthor = { email: "servico@obrasign.test", name: "Serviço" };

export function recipient(email: string, overrides: Partial<ProviderRecipient> = {}): ProviderRecipient {
  return { name: email.split("@")[0], email, action: "sign", order: null, cpf: null, auth: "email_code", ...overrides };
}

export async function sendInput(overrides: Partial<SendInput> = {}): Promise<SendInput & { refs: string[] }> {
  const refs: string[] = [];
  return {
    envelopeId: "env-1",
    name: "Contrato 42 - Construtora Alfa",
    files: [{ name: "contrato.pdf", bytes: await makePdf("Contrato 42") }],
    recipients: [recipient("maria@alfa.test", { cpf: "111.444.777-35" })],
    signingOrder: false,
    expiresAt: null,
    subject: null,
    message: null,
    allowRejection: true,
    reminderEveryDays: null,
    author: serviceAuthor,
    existingRef: null,
    onReference: async (ref: string) => void refs.push(ref),
    refs,
    ...overrides,
  };
}
