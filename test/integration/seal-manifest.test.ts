import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, PDFName, PDFString } from "pdf-lib";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { startTestTsa, type TestTsa } from "../support/tsa.js";
import { requireTool, tempDir } from "../unit/signing/helpers.js";

let tsa: TestTsa;
before(async () => { tsa = await startTestTsa(); });
after(async () => { await tsa?.close(); });

async function completeEnvelope(h: Harness, file: Uint8Array, locale?: "pt-BR" | "en"): Promise<string> {
  const contract = await makeContract(h);
  const email = `ana.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.com`;
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Manifesto", ...(locale ? { locale } : {}), recipients: [{ name: "Ana Souza", email, action: "sign" }] }) },
    { name: "file", filename: "a.pdf", bytes: file },
  ]);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await h.drain();
  const mail = (await h.call("GET", `/api/outbox?to=${email}`)).body.items[0];
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mail.text)![1];
  assert.equal((await h.app.inject({ method: "GET", url: `/sign/${token}` })).statusCode, 200);
  await h.call("POST", `/api/signing/${token}/code`, undefined, null);
  await h.drain();
  const codeMail = (await h.call("GET", `/api/outbox?to=${email}`)).body.items.find((m: any) => /\b\d{6}\b/.test(m.text) && m.text !== mail.text);
  const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
  assert.equal((await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Ana Souza" } }, null)).status, 200);
  await h.drain();
  assert.equal((await h.call("GET", `/api/envelopes/${created.body.id}`)).body.status, "completed");
  return created.body.id;
}

async function signedFile(h: Harness, id: string): Promise<Uint8Array> {
  const res = await h.app.inject({ method: "GET", url: `/api/envelopes/${id}/files/signed`, headers: { authorization: `Bearer ${h.tokens.admin}` } });
  assert.equal(res.statusCode, 200, res.body);
  return new Uint8Array(res.rawPayload);
}

function poppler(tool: "pdftotext" | "pdffonts", bytes: Uint8Array): string {
  requireTool(tool);
  const file = join(tempDir(), "doc.pdf");
  writeFileSync(file, bytes);
  return execFileSync(tool, tool === "pdftotext" ? [file, "-"] : [file], { encoding: "utf8" });
}

/** "dd/mm/aaaa hh:mm:ss (…) · UTC <ISO>" — the Brasília time must be the UTC time less three hours. */
function assertBrasiliaMatchesUtc(line: string) {
  const m = /(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2}) \([^)]*\) · UTC (\S+)/.exec(line);
  assert.ok(m, line);
  const brasilia = Date.UTC(+m[3]!, +m[2]! - 1, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  assert.equal(Math.floor(Date.parse(m[7]!) / 1000) * 1000 - brasilia, 3 * 3600_000, line);
}

test("a pt-BR envelope's manifest: legal basis, the timeline in Brasília time and UTC, the method in Portuguese only, the level the seal reached", async () => {
  const h = await startHarness({ tsa: { urls: [tsa.url], timeoutMs: 5000 } });
  try {
    assert.equal((await h.call("POST", "/api/settings/seal/anchors", { certificate: tsa.ca.certificatePem })).status, 201);
    const id = await completeEnvelope(h, await samplePdf());
    const bytes = await signedFile(h, id);
    const text = poppler("pdftotext", bytes).replace(/-\n/g, "-").replace(/\s+/g, " ");
    assert.match(text, /Medida Provisória 2\.200-2\/2001, art\. 10, § 2º/);
    assert.match(text, /Lei 14\.063\/2020, art\. 4º/);
    assert.match(text, /eletrônica simples \(inciso I\)/);
    assert.match(text, /Código de uso único enviado ao e-mail do participante/);
    assert.doesNotMatch(text, /One-time code|e-mail code|Signature manifest/);
    assert.match(text, /Nível do selo PAdES B-LTA/);
    const verified = await h.upload("/api/verify", [{ name: "file", filename: "assinado.pdf", bytes }], null);
    assert.equal(verified.body.level, "B-LTA", "the manifest tells the level /verify finds");

    const lines = poppler("pdftotext", bytes).split("\n");
    const history = (await h.call("GET", `/api/envelopes/${id}`)).body.events as Array<{ type: string }>;
    for (const [type, label] of [["envelope.created", "Envelope criado"], ["recipient.invited", "Convite enviado"], ["recipient.opened", "Link aberto"], ["recipient.code_sent", "Código enviado por e-mail"], ["recipient.signed", "Assinou"]] as const) {
      assert.ok(history.some((e) => e.type === type), `the history has ${type}`);
      const line = lines.find((l) => l.includes(`— ${label} —`));
      assert.ok(line, `timeline line for ${type}: ${label}`);
      assertBrasiliaMatchesUtc(line);
    }
    assert.match(text, /— Assinou — Ana Souza <ana\./, "the signer is named on the timeline");
  } finally {
    await h.close();
  }
});

test("an English envelope's manifest is in English only; without a TSA it says B-B", async () => {
  const h = await startHarness();
  try {
    const id = await completeEnvelope(h, await samplePdf(), "en");
    const text = poppler("pdftotext", await signedFile(h, id)).replace(/\s+/g, " ");
    assert.match(text, /Signature manifest/);
    assert.match(text, /Provisional Measure 2\.200-2\/2001, art\. 10, § 2/);
    assert.match(text, /Law 14\.063\/2020, art\. 4/);
    assert.match(text, /One-time code sent to the participant's e-mail/);
    assert.match(text, /Envelope timeline/);
    assert.match(text, /Seal level PAdES B-B /);
    assert.doesNotMatch(text, /Código|Autenticação|Linha do tempo|Manifesto de assinaturas/);
  } finally {
    await h.close();
  }
});

/** A PDF that claims PDF/A-2b (XMP pdfaid, an output intent) with its font embedded. */
async function pdfaInput(): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const vfs = (require("pdfmake/build/vfs_fonts.js") as { pdfMake?: { vfs: Record<string, string> } } & Record<string, string>);
  const roboto = Buffer.from((vfs.pdfMake?.vfs ?? (vfs as Record<string, string>))["Roboto-Regular.ttf"]!, "base64");
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(roboto, { subset: true });
  doc.addPage([595, 842]).drawText("Contrato de empreitada — PDF/A", { x: 50, y: 780, size: 16, font });
  const xmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  const metadata = doc.context.stream(xmp, { Type: "Metadata", Subtype: "XML" });
  doc.catalog.set(PDFName.of("Metadata"), doc.context.register(metadata));
  doc.catalog.set(PDFName.of("OutputIntents"), doc.context.obj([doc.context.obj({ Type: "OutputIntent", S: "GTS_PDFA1", OutputConditionIdentifier: PDFString.of("sRGB") })]));
  return doc.save({ useObjectStreams: false });
}

test("a PDF/A original keeps its claim with every font embedded, the manifest's too", async () => {
  const h = await startHarness();
  try {
    const input = await pdfaInput();
    assert.doesNotMatch(poppler("pdffonts", input), / no +(no|yes) +(no|yes) +\d/, "the input's own font is embedded");
    const bytes = await signedFile(h, await completeEnvelope(h, input));
    const fonts = poppler("pdffonts", bytes).split("\n").slice(2).filter((l) => l.trim());
    assert.ok(fonts.length >= 4, fonts.join("\n"));
    for (const line of fonts) assert.match(line, /\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/, `embedded: ${line}`);
    assert.ok(!fonts.some((l) => /Helvetica|Times/.test(l)), "no standard (unembedded) font left");
    const signed = await PDFDocument.load(bytes, { updateMetadata: false });
    assert.match(String(signed.catalog.lookup(PDFName.of("Metadata"))?.toString() ?? ""), /Metadata/);
    assert.match(Buffer.from(bytes).toString("latin1"), /<pdfaid:part>2<\/pdfaid:part>/);
  } finally {
    await h.close();
  }
});
