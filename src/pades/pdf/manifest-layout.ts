/**
 * Draws the manifest pages with pdf-lib into a scratch document; manifest.ts
 * then grafts those page objects onto the original as an incremental update.
 */
import { PDFDocument, PDFFont, PDFPage, rgb } from "pdf-lib";
import QRCode from "qrcode";
import { AppError } from "../../platform/errors.js";
import { embedManifestFonts, type ManifestFonts } from "./manifest-fonts.js";
import { formatBrasilia, formatCpf, labelsFor, type ManifestLocale, type RecipientAction } from "./manifest-text.js";

export interface ManifestRecipient {
  name: string;
  email: string;
  cpf?: string;
  action: RecipientAction;
  actedAt: Date;
  ip: string;
  userAgent: string;
  method: string;
  signature: { type: "typed" | "drawn"; value: string };
}

/** One entry of the envelope's history, as the timeline prints it. */
export interface ManifestEvent {
  at: Date;
  /** The history's type (`recipient.signed`, …); types the manifest has no words for are left out. */
  type: string;
  /** Who: a user, a recipient "Name <e-mail>", or obrasign. */
  actor: string;
}

/** The PAdES baseline level the seal over these pages reaches (best-level.ts fills it in). */
export type ManifestSealLevel = "B-B" | "B-T" | "B-LT" | "B-LTA";

export interface Manifest {
  documentName: string;
  envelopeId: string;
  originalSha256: string;
  verifyUrl: string;
  recipients: ManifestRecipient[];
  /** The envelope's language: every word of the manifest is in it, and only in it. */
  locale?: ManifestLocale;
  events?: ManifestEvent[];
  sealLevel?: ManifestSealLevel;
}

/** The timeline stops here; the envelope's own history has the rest. */
const MAX_TIMELINE_EVENTS = 200;

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const WIDTH = A4[0] - 2 * MARGIN;
const GREY = rgb(0.35, 0.35, 0.35);

type Fonts = ManifestFonts;

export async function drawManifestPages(doc: PDFDocument, manifest: Manifest): Promise<PDFPage[]> {
  const t = labelsFor(manifest.locale);
  const fonts: Fonts = await embedManifestFonts(doc);
  const signatureImages = await Promise.all(
    manifest.recipients.map((r) => (r.signature.type === "drawn" ? doc.embedPng(pngFromDataUrl(r.signature.value)) : undefined)),
  );
  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;
  const newPage = () => {
    page = doc.addPage(A4);
    pages.push(page);
    y = A4[1] - MARGIN;
  };
  const text = (value: string, size: number, font = fonts.regular, x = MARGIN, color = rgb(0, 0, 0), maxWidth = WIDTH) => {
    for (const line of wrap(clean(value, font), font, size, maxWidth)) {
      if (y - size * 1.35 < MARGIN + 30) newPage();
      page.drawText(line, { x, y: y - size, size, font, color });
      y -= size * 1.35;
    }
  };

  newPage();
  drawQr(page, manifest.verifyUrl, A4[0] - MARGIN - 90, A4[1] - MARGIN - 90, 90);
  text(t.title, 18, fonts.bold, MARGIN, rgb(0, 0, 0), WIDTH - 110);
  y -= 6;
  const facts: Array<[string, string]> = [
    [t.document, manifest.documentName],
    [t.envelope, manifest.envelopeId],
    [t.originalHash, manifest.originalSha256],
    [t.verify, manifest.verifyUrl],
  ];
  for (const [label, value] of facts) {
    text(label, 8, fonts.bold, MARGIN, GREY, WIDTH - 110);
    text(value, 9, fonts.regular, MARGIN, rgb(0, 0, 0), WIDTH - 110);
  }
  y = Math.min(y, A4[1] - MARGIN - 105);
  text(t.scanToVerify, 7, fonts.regular, A4[0] - MARGIN - 90, GREY, 90);
  y -= 8;
  if (manifest.sealLevel) {
    text(t.sealLevel, 8, fonts.bold, MARGIN, GREY);
    text(t.levels[manifest.sealLevel], 9);
    text(t.levelNote, 7.5, fonts.regular, MARGIN, GREY);
    y -= 6;
  }
  text(t.legalBasis, 8, fonts.bold, MARGIN, GREY);
  for (const paragraph of t.legal) {
    text(paragraph, 8);
    y -= 2;
  }
  y -= 8;
  text(t.recipients, 13, fonts.bold);

  manifest.recipients.forEach((r, i) => {
    const image = signatureImages[i];
    const needed = 150 + (image ? 60 : 24);
    if (y - needed < MARGIN + 30) newPage();
    page.drawLine({ start: { x: MARGIN, y: y - 2 }, end: { x: A4[0] - MARGIN, y: y - 2 }, thickness: 0.5, color: GREY });
    y -= 10;
    text(`${r.name} — ${t.actions[r.action] ?? r.action}`, 11, fonts.bold);
    const rows: Array<[string, string]> = [
      [t.email, r.email],
      ...(r.cpf ? ([[t.cpf, formatCpf(r.cpf)]] as Array<[string, string]>) : []),
      [t.actedAt, `${formatBrasilia(r.actedAt)} (${t.brasilia}) · UTC ${r.actedAt.toISOString()}`],
      [t.ip, r.ip],
      [t.device, r.userAgent],
      [t.method, t.methods[r.method] ?? r.method],
    ];
    for (const [label, value] of rows) {
      const labelWidth = 95;
      const top = y;
      text(`${label}:`, 8.5, fonts.bold, MARGIN, GREY, labelWidth);
      y = top;
      text(value, 8.5, fonts.regular, MARGIN + labelWidth, rgb(0, 0, 0), WIDTH - labelWidth);
    }
    text(`${t.signature}:`, 8.5, fonts.bold, MARGIN, GREY);
    if (image) {
      y += 8.5 * 1.35; // image top aligned with its label
      const scale = Math.min(180 / image.width, 50 / image.height, 1);
      page.drawImage(image, { x: MARGIN + 95, y: y - image.height * scale, width: image.width * scale, height: image.height * scale });
      y -= image.height * scale + 8;
    } else {
      y += 8.5 * 1.35;
      text(r.signature.value, 18, fonts.script, MARGIN + 95);
    }
    y -= 10;
  });

  const events = (manifest.events ?? []).filter((e) => e.type in t.events);
  if (events.length > 0) {
    if (y - 60 < MARGIN + 30) newPage();
    y -= 6;
    text(t.timeline, 13, fonts.bold);
    text(t.timelineNote, 7.5, fonts.regular, MARGIN, GREY);
    y -= 4;
    for (const event of events.slice(0, MAX_TIMELINE_EVENTS)) {
      text(`${formatBrasilia(event.at)} (${t.brasilia}) · UTC ${event.at.toISOString()} — ${t.events[event.type]} — ${event.actor}`, 8);
    }
    if (events.length > MAX_TIMELINE_EVENTS) text(t.moreEvents(events.length - MAX_TIMELINE_EVENTS), 8, fonts.regular, MARGIN, GREY);
  }

  pages.forEach((p, i) => {
    p.drawText(clean(t.footer, fonts.regular), { x: MARGIN, y: MARGIN - 10, size: 7, font: fonts.regular, color: GREY });
    const label = `${t.page(i + 1, pages.length)} · ${clean(manifest.envelopeId, fonts.regular)}`;
    p.drawText(label, { x: MARGIN, y: MARGIN - 20, size: 7, font: fonts.regular, color: GREY });
  });
  return pages;
}

function pngFromDataUrl(value: string): Uint8Array {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=\s]+)$/.exec(value);
  if (!match) throw new AppError("validation", "signature.value: a drawn signature must be a PNG data URL", { "signature.value": "PNG data URL expected" });
  return Buffer.from(match[1], "base64");
}

/** Vector QR code: sharp at any zoom, and no image decoding needed. */
function drawQr(page: PDFPage, url: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  const cell = size / (modules.size + 2); // a one-module quiet zone on each side
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.data[row * modules.size + col]) continue;
      page.drawRectangle({ x: x + (col + 1) * cell, y: y + size - (row + 2) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
    }
  }
}

/** Keep what the embedded font can show (all of Portuguese), replace the rest. */
const charsets = new WeakMap<PDFFont, Set<number>>();
function clean(value: string, font: PDFFont): string {
  let supported = charsets.get(font);
  if (!supported) charsets.set(font, (supported = new Set(font.getCharacterSet())));
  return [...value.replace(/[\r\n\t]+/g, " ")].map((ch) => (supported!.has(ch.codePointAt(0)!) ? ch : "?")).join("");
}

function wrap(value: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = "";
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= maxWidth;
  for (const word of value.split(" ")) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    // Long unbroken tokens (hashes, user agents, URLs) break anywhere.
    while (!fits(line)) {
      let cut = line.length - 1;
      while (cut > 1 && !fits(line.slice(0, cut))) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
