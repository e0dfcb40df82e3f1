/**
 * The adapter against each answer variant of TAE-API.md §7, switched on in
 * the emulator one at a time.
 */
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ProviderError } from "../../../src/platform/providers/port.js";
import { allowedFileUrl, fetchSignedFile, looksLikePdf } from "../../../src/modules/providers/totvs-sign/signed-file.js";
import { startTaeEmulator, type TaeEmulator } from "../../tae-emulator/index.js";
import { providerFor, recipient, sendInput, serviceAuthor } from "./helpers.js";

let emu: TaeEmulator;
beforeEach(async () => {
  emu = await startTaeEmulator();
});
afterEach(async () => {
  await emu.close();
});

describe("status variants", () => {
  it("a cancelled document reading 5: cancel settles, status says cancelled, a retried send does not publish it again", async () => {
    emu.setVariants({ cancelledStatus: 5 });
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    await provider.cancel(ref, serviceAuthor);
    assert.equal(emu.document(ref)!.status, 5);
    assert.equal((await provider.status(ref, serviceAuthor)).status, "cancelled");

    const publishes = emu.counters().publishes;
    const again = await provider.send(await sendInput({ existingRef: ref }));
    assert.deepEqual(again, { ref, status: "cancelled" });
    assert.equal(emu.counters().publishes, publishes, "not published again");
    assert.equal(emu.calls("publish").length, 1);
  });

  it("cancelled in the portal as 5 → cancelled; a real draft (5, nobody listed) is still published by a retried send", async () => {
    emu.setVariants({ cancelledStatus: 5 });
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.cancelInPortal(Number(ref));
    assert.equal((await provider.status(ref, serviceAuthor)).status, "cancelled");

    // Upload only (the onReference of a first attempt that crashed), then a retry.
    const first = await sendInput({ onReference: async () => { throw new Error("crash after upload"); } });
    await assert.rejects(provider.send(first), /crash after upload/);
    const draft = emu.documents().at(-1)!;
    assert.equal(draft.status, 5);
    const retried = await provider.send(await sendInput({ existingRef: String(draft.id) }));
    assert.deepEqual(retried, { ref: String(draft.id) });
    assert.equal(emu.document(draft.id)!.status, 0, "the draft was published");
  });

  it("a re-opened document reads pending again, the rejection gone", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput({ recipients: [recipient("a@x.test"), recipient("b@x.test")] }));
    emu.sign(Number(ref), "a@x.test");
    emu.reject(Number(ref), "b@x.test", "Valor errado");
    assert.equal((await provider.status(ref, serviceAuthor)).status, "rejected");
    emu.reopen(Number(ref));
    const state = await provider.status(ref, serviceAuthor);
    assert.equal(state.status, "partially_signed");
    assert.equal(state.rejectionReason, null);
    assert.deepEqual(state.recipients.map((r) => [r.email, r.status]).sort(), [["a@x.test", "signed"], ["b@x.test", "pending"]]);
  });

  it("dates with microseconds and no zone: acts and the login's expirationDate read as UTC", async () => {
    emu.setVariants({ dates: "microseconds" });
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    const at = new Date("2026-03-04T05:06:07.089Z");
    emu.sign(Number(ref), "maria@alfa.test", at);
    const state = await provider.status(ref, serviceAuthor);
    assert.equal(state.status, "completed");
    assert.equal(state.recipients[0].actedAt?.toISOString(), at.toISOString());
    const grant = await provider.loginUser(emu.serviceUser.email, emu.serviceUser.password);
    assert.ok(grant.expiresAt.getTime() > Date.now() + 11 * 3_600_000, "12 h from the microsecond expirationDate");
  });

  it("an unknown status code is a clear, non-retryable failure with its code", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.setStatus(Number(ref), 6);
    await assert.rejects(provider.status(ref, serviceAuthor), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.retryable, false);
      assert.equal(error.code, "unknown_status");
      assert.deepEqual(error.values, { code: "6" });
      return true;
    });
  });
});

describe("download variants", () => {
  for (const variant of ["fileBytes", "signedURL", "raw", "v2Url"] as const) {
    it(`the signed file as ${variant}: the bytes TAE served, a PDF`, async () => {
      emu.setVariants({ download: variant });
      const { provider, logLines } = providerFor(emu);
      const { ref } = await provider.send(await sendInput());
      emu.sign(Number(ref), "maria@alfa.test");
      const file = await provider.download(ref, "signed", serviceAuthor);
      const served = emu.document(ref)!.downloads.at(-1)!;
      assert.equal(Buffer.compare(Buffer.from(file.bytes), served.bytes), 0);
      // A raw answer carries no name of its own.
      assert.equal(file.name, variant === "raw" ? "documento.pdf" : served.fileName);
      for (const call of emu.calls("signedFile")) assert.equal(call.hadAuthorization, false, "no bearer token with the file URL");
      if (variant === "signedURL" || variant === "v2Url") {
        assert.equal(emu.calls("signedFile").length, 1);
        assert.ok(!logLines.some((l) => l.includes("X-Amz-Signature")), "the signed URL's query never reaches a log");
      }
    });
  }

  it("a file URL on another plain-http host is refused, not fetched", async () => {
    emu.setVariants({ download: "signedURL", fileHost: "elsewhere" });
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.sign(Number(ref), "maria@alfa.test");
    await assert.rejects(provider.download(ref, "signed", serviceAuthor), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, "signed_file_invalid");
      assert.equal(error.retryable, false);
      assert.ok(!error.message.includes("X-Amz-Signature"), error.message);
      return true;
    });
    assert.equal(emu.calls("signedFile").length, 0);
  });
});

describe("fetching a file URL", () => {
  it("https or the API host only; no credentials in the URL", () => {
    const api = "http://127.0.0.1:8080";
    assert.ok(allowedFileUrl("https://s3.amazonaws.com/x.pdf?sig=1", api));
    assert.ok(allowedFileUrl("http://127.0.0.1:8080/files/x.pdf", api));
    assert.equal(allowedFileUrl("http://127.0.0.1:8081/files/x.pdf", api), null);
    assert.equal(allowedFileUrl("http://example.com/x.pdf", api), null);
    assert.equal(allowedFileUrl("https://user:pw@example.com/x.pdf", api), null);
    assert.equal(allowedFileUrl("file:///etc/passwd", api), null);
    assert.equal(allowedFileUrl("not a url", api), null);
  });

  it("refuses what is not a PDF, what is too large, and redirects", async () => {
    const server = http.createServer((req, res) => {
      if (req.url === "/html") res.writeHead(200, { "content-type": "text/html" }).end("<html>AccessDenied</html>");
      else if (req.url === "/big") {
        res.writeHead(200, { "content-type": "application/pdf" });
        res.write(Buffer.alloc(64 * 1024, 0x25));
        res.end(Buffer.alloc(64 * 1024, 0x25));
      } else if (req.url === "/moved") res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      else res.writeHead(200, { "content-type": "application/pdf" }).end(Buffer.from("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const limits = { apiUrl: base, timeoutMs: 2_000, maxBytes: 100 * 1024 };
    try {
      const ok = await fetchSignedFile(`${base}/ok.pdf`, limits);
      assert.ok(looksLikePdf(ok));
      for (const [path, pattern] of [["/html", /not a PDF/], ["/big", /larger than/], ["/moved", /redirect/]] as const) {
        await assert.rejects(fetchSignedFile(base + path, limits), (error: unknown) => {
          assert.ok(error instanceof ProviderError);
          assert.equal(error.code, "signed_file_invalid");
          assert.match(error.message, pattern);
          return true;
        });
      }
    } finally {
      server.close();
    }
  });
});

describe("publish body as TOTVS clients send it", () => {
  it("channels with telefone, an international id, configured roles, subject and text within TAE's limits", async () => {
    const { provider } = providerFor(emu, { signerRoles: { sign: "como contratante" } });
    const { ref } = await provider.send(await sendInput({
      subject: "Contrato nº 42 — Obra «Torre Sul» com prazo de entrega em 30 dias corridos!",
      message: "Olá,\nassine até 10/12 <urgente> & obrigado.",
      recipients: [
        recipient("zap@x.test", { notifyBy: "whatsapp", phone: "(11) 98765-4321", cpf: "111.444.777-35" }),
        recipient("sms@x.test", { notifyBy: "sms", phone: "21987654321", internationalId: "X1234567", action: "validate" }),
      ],
    }));
    const body = emu.document(ref)!.publishBodies[0] as any;
    const [zap, sms] = body.destinatarios;
    assert.deepEqual([zap.tipoEnvioDocumento, zap.tipoEnvioCodigo, zap.telefone, zap.papelAssinante], [2, 2, "11987654321", "como contratante"]);
    assert.deepEqual([sms.tipoEnvioDocumento, sms.tipoEnvioCodigo, sms.telefone, sms.papelAssinante], [1, 3, "21987654321", "como validador"]);
    assert.deepEqual([sms.tipoIdentificacao, sms.identificacao], [2, "X1234567"]);
    const subject = body.publicacaoOpcoes.assuntoMensagem as string;
    assert.ok([...subject].length <= 60, subject);
    assert.match(subject, /^[\p{L}\p{N} _@.,()!?:+\-%$]+$/u);
    assert.equal(body.publicacaoOpcoes.corpoMensagem, "Olá, assine até 1012 urgente obrigado.");
  });

  it("registering a user sends cnpjLicensedCompany", async () => {
    const { provider } = providerFor(emu, { companyCnpj: "11.222.333/0001-81" });
    await provider.ensureAuthor({ email: "novo@x.test", name: "Novo" }, { create: true });
    assert.equal((emu.calls("register")[0].body as any).cnpjLicensedCompany, "11222333000181");
  });
});
