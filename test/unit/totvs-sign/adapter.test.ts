import { ManualClock } from "../../../src/platform/clock.js";
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ProviderError } from "../../../src/platform/providers/port.js";
import { TaeError, loginTaeUser } from "../../../src/modules/providers/totvs-sign/index.js";
import { SIGNED_MARKER, startTaeEmulator, type TaeEmulator } from "../../tae-emulator/index.js";
import { makePdf, providerFor, recipient, sendInput, serviceAuthor } from "./helpers.js";

let emu: TaeEmulator;
beforeEach(async () => {
  emu = await startTaeEmulator();
});
afterEach(async () => {
  await emu.close();
});

async function rejectsWith(promise: Promise<unknown>, check: (error: ProviderError) => void) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    check(error);
    return true;
  });
}

describe("send", () => {
  it("uploads, reports the reference before publishing, and publishes order, observers and options", async () => {
    const { provider } = providerFor(emu);
    let publishesWhenReferenced = -1;
    const input = await sendInput({
      signingOrder: true,
      expiresAt: new Date("2026-12-28T23:59:59Z"),
      subject: "Contrato 42 para assinatura",
      message: "Por favor, assine.",
      allowRejection: false,
      reminderEveryDays: 3,
      recipients: [
        recipient("maria@alfa.test", { order: 1, cpf: "111.444.777-35", auth: "account", name: "Maria da Silva" }),
        recipient("joao@obra.test", { order: 2, action: "validate" }),
        recipient("ana@obra.test", { order: 3, action: "witness", cpf: "11.222.333/0001-81" }),
        recipient("diretor@obra.test", { order: null, action: "observe" }),
      ],
    });
    input.onReference = async (ref) => {
      publishesWhenReferenced = emu.counters().publishes;
      input.refs.push(ref);
    };
    const { ref } = await provider.send(input);

    assert.deepEqual(input.refs, [ref]);
    assert.equal(publishesWhenReferenced, 0, "onReference runs before publishing");
    const upload = emu.calls("upload")[0].body as { name: string; filename: string | null; contentType: string | null; text?: string }[];
    assert.deepEqual(upload.map((p) => [p.name, p.filename, p.contentType]), [
      ["NomeEnvelope", null, null],
      ["Envelope", "contrato.pdf", "application/pdf"],
    ]);
    assert.equal(upload[0].text, "Contrato 42 - Construtora Alfa");

    const doc = emu.document(ref)!;
    assert.equal(doc.status, 0);
    assert.deepEqual(doc.publishBodies[0], {
      idDocumento: Number(ref),
      utilizaWorkflow: true,
      destinatarios: [
        {
          email: "maria@alfa.test", acao: 0, workflow: 1, papelAssinante: "como assinante", nomeCompleto: "Maria da Silva",
          tipoAutenticacao: 1, tipoIdentificacao: 1, identificacao: "11144477735",
          // Account login: no code, so no tipoEnvioCodigo (TAE-API.md §7).
          notificaEnvio: true, tipoEnvioDocumento: 1,
        },
        {
          email: "joao@obra.test", acao: 1, workflow: 2, papelAssinante: "como validador", nomeCompleto: "joao",
          tipoAutenticacao: 2, tipoIdentificacao: 3, identificacao: "",
          notificaEnvio: true, tipoEnvioDocumento: 1, tipoEnvioCodigo: 1,
        },
        {
          email: "ana@obra.test", acao: 2, workflow: 3, papelAssinante: "como testemunha", nomeCompleto: "ana",
          tipoAutenticacao: 2, tipoIdentificacao: 1, identificacao: "11222333000181",
          notificaEnvio: true, tipoEnvioDocumento: 1, tipoEnvioCodigo: 1,
        },
      ],
      observadores: [{ email: "diretor@obra.test", tipoEnvioDocumento: 1 }],
      responsavelAssinaDocumento: false,
      // The deadline at both places (TAE-API.md §7).
      dataExpiracao: "2026-12-28T23:59:59.000Z",
      publicacaoOpcoes: {
        idDocumento: Number(ref),
        solicitaAssinaturaManuscrita: false,
        permiteRejeitarDocumento: false,
        dataExpiracao: "2026-12-28T23:59:59.000Z",
        assuntoMensagem: "Contrato 42 para assinatura",
        corpoMensagem: "Por favor, assine.",
        intervaloLembrete: 3,
      },
    });
  });

  it("without an order sends workflow 0 and utilizaWorkflow false", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(
      await sendInput({ recipients: [recipient("a@x.test", { order: 1 }), recipient("b@x.test", { order: 2 })] }),
    );
    const body = emu.document(ref)!.publishBodies[0] as { utilizaWorkflow: boolean; destinatarios: { workflow: number }[] };
    assert.equal(body.utilizaWorkflow, false);
    assert.deepEqual(body.destinatarios.map((d) => d.workflow), [0, 0]);
  });

  it("refuses duplicate e-mails, no acting recipient and more than 10 MB before calling TAE", async () => {
    const { provider } = providerFor(emu);
    const dup = await sendInput({ recipients: [recipient("a@x.test"), recipient("A@x.test", { action: "observe" })] });
    await rejectsWith(provider.send(dup), (e) => assert.equal(e.retryable, false));
    const onlyObservers = await sendInput({ recipients: [recipient("a@x.test", { action: "observe" })] });
    await rejectsWith(provider.send(onlyObservers), (e) => assert.equal(e.retryable, false));
    const big = await sendInput({ files: [{ name: "big.pdf", bytes: new Uint8Array(10 * 1024 * 1024 + 1) }] });
    await rejectsWith(provider.send(big), (e) => assert.match(e.message, /at most/));
    assert.equal(emu.counters().uploads, 0);
  });

  it("the emulator enforces the 10 MB limit and duplicate e-mails itself too", async () => {
    const { provider } = providerFor(emu);
    const pdf = await makePdf("x");
    const padded = new Uint8Array(10 * 1024 * 1024 + 10);
    padded.set(pdf);
    const token = await provider.loginUser(emu.serviceUser.email, emu.serviceUser.password);
    const form = new FormData();
    form.append("NomeEnvelope", "big");
    form.append("Envelope", new Blob([padded], { type: "application/pdf" }), "big.pdf");
    const res = await fetch(`${emu.apiUrl}/documents/v1/envelopes/upload`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.token}` },
      body: form,
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /10 MB/);
  });

  it("a crash between upload and publish: the retry with existingRef reuses the document", async () => {
    const { provider } = providerFor(emu);
    const first = await sendInput();
    first.onReference = async (ref) => {
      first.refs.push(ref);
      throw new Error("process died");
    };
    await assert.rejects(provider.send(first), /process died/);
    assert.equal(emu.counters().uploads, 1);
    assert.equal(emu.counters().publishes, 0);
    const savedRef = first.refs[0];

    const retry = await sendInput({ existingRef: savedRef });
    const { ref } = await provider.send(retry);
    assert.equal(ref, savedRef);
    assert.deepEqual(retry.refs, [], "no new reference");
    assert.equal(emu.counters().uploads, 1, "no second upload");
    assert.equal(emu.counters().publishes, 1);
    assert.equal(emu.documents().length, 1);

    // A crash after publishing (result not stored): the retry neither uploads nor publishes again.
    const again = await provider.send(await sendInput({ existingRef: savedRef }));
    assert.equal(again.ref, savedRef);
    assert.equal(emu.counters().uploads, 1);
    assert.equal(emu.counters().publishes, 1);
    assert.equal(emu.calls("publish").length, 1);
  });

  it("existingRef of a document TAE no longer knows: refused, nothing created", async () => {
    const { provider } = providerFor(emu);
    await rejectsWith(provider.send(await sendInput({ existingRef: "999999" })), (e) => assert.equal(e.retryable, false));
    assert.equal(emu.counters().uploads, 0);
  });

  it("publish answer lost after TAE published: the status check settles it, no second publish", async () => {
    const { provider } = providerFor(emu);
    emu.dropNext(1, { routes: ["publish"], afterProcessing: true });
    const { ref } = await provider.send(await sendInput());
    assert.equal(emu.document(ref)!.status, 0);
    assert.equal(emu.calls("publish").length, 1);
  });

  it("publish lost before TAE saw it: published again after checking the draft", async () => {
    const { provider } = providerFor(emu);
    emu.dropNext(1, { routes: ["publish"] });
    const { ref } = await provider.send(await sendInput());
    assert.equal(emu.document(ref)!.status, 0);
    assert.equal(emu.calls("publish").length, 2);
    assert.equal(emu.counters().publishes, 1);
  });

  it("upload is never repeated on a 5xx: retryable error, one upload call", async () => {
    const { provider } = providerFor(emu);
    emu.failNext(1, { routes: ["upload"], status: 502 });
    const input = await sendInput();
    await rejectsWith(provider.send(input), (e) => {
      assert.equal(e.retryable, true);
      assert.equal(e.httpStatus, 502);
    });
    assert.equal(emu.calls("upload").length, 1);
    assert.deepEqual(input.refs, []);
  });
});

describe("status and files", () => {
  it("pending → partially signed → completed, with per-recipient states, then the signed download", async () => {
    const { provider } = providerFor(emu);
    const input = await sendInput({
      signingOrder: true,
      recipients: [
        recipient("maria@alfa.test", { order: 1 }),
        recipient("joao@obra.test", { order: 2, action: "validate" }),
        recipient("ana@obra.test", { order: 3, action: "witness" }),
      ],
    });
    const { ref } = await provider.send(input);

    let state = await provider.status(ref, serviceAuthor);
    assert.equal(state.status, "pending");
    assert.deepEqual(state.recipients.map((r) => [r.email, r.status]), [
      ["maria@alfa.test", "pending"],
      ["joao@obra.test", "pending"],
      ["ana@obra.test", "pending"],
    ]);

    assert.throws(() => emu.act(Number(ref), "joao@obra.test"), /turn/);
    const signedAt = new Date("2026-11-30T12:00:00Z");
    emu.act(Number(ref), "maria@alfa.test", signedAt);
    state = await provider.status(ref, serviceAuthor);
    assert.equal(state.status, "partially_signed");
    const maria = state.recipients.find((r) => r.email === "maria@alfa.test")!;
    assert.equal(maria.status, "signed");
    assert.equal(maria.actedAt?.toISOString(), signedAt.toISOString());
    assert.equal(state.recipients.find((r) => r.email === "joao@obra.test")!.status, "pending");

    await rejectsWith(provider.download(ref, "signed", serviceAuthor), (e) => assert.equal(e.retryable, false));

    emu.act(Number(ref), "joao@obra.test");
    emu.act(Number(ref), "ana@obra.test");
    state = await provider.status(ref, serviceAuthor);
    assert.equal(state.status, "completed");
    assert.deepEqual(state.recipients.map((r) => r.status), ["signed", "validated", "witnessed"]);

    const original = await provider.download(ref, "original", serviceAuthor);
    assert.deepEqual(Buffer.from(original.bytes), Buffer.from(input.files[0].bytes));
    const signed = await provider.download(ref, "signed", serviceAuthor);
    assert.equal(Buffer.from(signed.bytes).subarray(0, 5).toString(), "%PDF-");
    assert.notDeepEqual(Buffer.from(signed.bytes), Buffer.from(original.bytes));
    assert.match(signed.name, /assinado/);
    const { PDFDocument } = await import("pdf-lib");
    const parsed = await PDFDocument.load(signed.bytes);
    assert.equal(parsed.getPageCount(), 2);
    assert.equal(parsed.getSubject(), SIGNED_MARKER);
    assert.deepEqual(emu.calls("download").map((c) => c.query.tipoDownload), ["2", "1", "2"]);
  });

  it("rejection with a reason", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput({ recipients: [recipient("maria@alfa.test"), recipient("joao@obra.test")] }));
    emu.act(Number(ref), "joao@obra.test");
    emu.reject(Number(ref), "maria@alfa.test", "Valor do item 3 diverge da proposta");
    const state = await provider.status(ref, serviceAuthor);
    assert.equal(state.status, "rejected");
    assert.equal(state.rejectionReason, "Valor do item 3 diverge da proposta");
    const maria = state.recipients.find((r) => r.email === "maria@alfa.test")!;
    assert.equal(maria.status, "rejected");
    assert.equal(maria.rejectionReason, "Valor do item 3 diverge da proposta");
    assert.ok(maria.actedAt instanceof Date);
    assert.equal(state.recipients.find((r) => r.email === "joao@obra.test")!.status, "signed");
  });

  it("an expired deadline reads as expired; a deleted document as cancelled", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput({ expiresAt: new Date(Date.now() + 86_400_000) }));
    emu.expire(Number(ref));
    const expired = await provider.status(ref, serviceAuthor);
    assert.equal(expired.status, "expired");
    assert.ok(expired.expiresAt! < new Date());

    emu.deleteDocument(Number(ref));
    const gone = await provider.status(ref, serviceAuthor);
    assert.equal(gone.status, "cancelled");
  });

  it("status() is asked about published documents only: 5 reads as cancelled even for a draft (TAE-API.md §7)", async () => {
    const { provider } = providerFor(emu);
    const input = await sendInput();
    input.onReference = async (ref) => {
      input.refs.push(ref);
      throw new Error("stop");
    };
    await assert.rejects(provider.send(input));
    assert.equal((await provider.status(input.refs[0], serviceAuthor)).status, "cancelled");
  });
});

describe("other answers of TAE", () => {
  it("'Documento não encontrado.' under HTTP 404 also reads as cancelled", async () => {
    await emu.close();
    emu = await startTaeEmulator({ notFoundHttpStatus: 404 });
    const { provider } = providerFor(emu);
    assert.equal((await provider.status("4242", serviceAuthor)).status, "cancelled");
    assert.equal(emu.calls("status").length, 1, "a not-found answer is not retried");
  });

  it("search lists the sender's documents with mapped statuses", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    const found = await provider.search(emu.serviceUser.email);
    assert.equal(found.total, 1);
    assert.deepEqual(found.items, [{ ref, name: "Contrato 42 - Construtora Alfa", status: "pending" }]);
  });

  it("loginTaeUser needs no service user", async () => {
    const grant = await loginTaeUser({ authUrl: emu.authUrl, allowPrivate: true }, emu.serviceUser.email, emu.serviceUser.password);
    assert.ok(grant.token.length > 20);
    assert.ok(grant.expiresAt > new Date());
  });
});

describe("cancel and recipients", () => {
  it("cancel, then cancel again: TAE's refusal surfaces, not retryable", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    await provider.cancel(ref, serviceAuthor);
    assert.equal((await provider.status(ref, serviceAuthor)).status, "cancelled");
    await rejectsWith(provider.cancel(ref, serviceAuthor), (e) => {
      assert.equal(e.retryable, false);
      assert.equal(e.httpStatus, 400);
      assert.match(e.message, /já está cancelado/);
      assert.ok(e instanceof TaeError && e.taeMessage === "O documento já está cancelado.");
    });
    assert.equal(emu.calls("cancel").length, 2, "a 400 is not retried");
  });

  it("cancel of a completed document is refused", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.act(Number(ref), "maria@alfa.test");
    await rejectsWith(provider.cancel(ref, serviceAuthor), (e) => assert.match(e.message, /finalizado/));
  });

  it("cancel whose answer is lost: the status check confirms it", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.dropNext(1, { routes: ["cancel"], afterProcessing: true });
    await provider.cancel(ref, serviceAuthor);
    assert.equal(emu.document(ref)!.status, 7);
    assert.equal(emu.calls("cancel").length, 1);
  });

  it("adds and removes a recipient", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    await provider.addRecipient(ref, recipient("novo@obra.test", { action: "witness" }), serviceAuthor);
    let state = await provider.status(ref, serviceAuthor);
    assert.deepEqual(state.recipients.map((r) => r.email).sort(), ["maria@alfa.test", "novo@obra.test"]);
    const added = emu.calls("addRecipients")[0].body as { idDocumento: number; destinatarios: { email: string; acao: number }[] };
    assert.equal(added.idDocumento, Number(ref));
    assert.deepEqual(added.destinatarios.map((d) => [d.email, d.acao]), [["novo@obra.test", 2]]);

    await rejectsWith(provider.addRecipient(ref, recipient("NOVO@obra.test"), serviceAuthor), (e) => {
      assert.equal(e.retryable, false);
      assert.match(e.message, /duplicado/);
    });

    await provider.removeRecipient(ref, "novo@obra.test", serviceAuthor);
    const removal = emu.calls("removeRecipient")[0];
    assert.equal(removal.method, "DELETE");
    assert.deepEqual(removal.body, { idDocumento: Number(ref), emailDestinatario: "novo@obra.test" });
    state = await provider.status(ref, serviceAuthor);
    assert.deepEqual(state.recipients.map((r) => r.email), ["maria@alfa.test"]);
  });

  it("add recipient whose answer is lost is not repeated when TAE already has it", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.dropNext(1, { routes: ["addRecipients"], afterProcessing: true });
    await provider.addRecipient(ref, recipient("novo@obra.test"), serviceAuthor);
    assert.equal(emu.calls("addRecipients").length, 1);
  });
});

describe("tokens", () => {
  it("one login serves many calls, also concurrent ones", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    await Promise.all(Array.from({ length: 10 }, () => provider.status(ref, serviceAuthor)));
    for (let i = 0; i < 5; i++) await provider.download(ref, "original", serviceAuthor);
    assert.equal(emu.counters().logins, 1);
    assert.ok(emu.calls().every((c) => c.route === "login" || c.authenticatedAs === emu.serviceUser.email));
  });

  it("concurrent first calls share one login", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await providerFor(emu).provider.send(await sendInput());
    emu.resetCounters();
    await Promise.all(Array.from({ length: 8 }, () => provider.status(ref, serviceAuthor)));
    assert.equal(emu.counters().logins, 1);
  });

  it("a token TAE no longer accepts: exactly one new login, the call succeeds", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.expireAllTokens();
    await provider.status(ref, serviceAuthor);
    await provider.status(ref, serviceAuthor);
    assert.equal(emu.counters().logins, 2);
    assert.equal(emu.counters().unauthorized, 1);
  });

  it("renews the token by its expirationDate, without waiting for a 401", async (t) => {
    emu.setTokenTtl(1_500);
    // The adapter reads time from the installation's clock: move it instead of sleeping.
    const clock = new ManualClock(new Date());
    emu.setClock(() => clock.now().getTime());
    t.after(() => emu.setClock(Date.now));
    const { provider } = providerFor(emu, { now: () => clock.now() });
    const { ref } = await provider.send(await sendInput());
    assert.equal(emu.counters().logins, 1);
    clock.advance(1_600);
    await provider.status(ref, serviceAuthor);
    await provider.status(ref, serviceAuthor);
    assert.equal(emu.counters().logins, 2);
    assert.equal(emu.counters().unauthorized, 0);
  });

  it("an author's own session is used as is, and never renewed with the service password", async () => {
    emu.addUser({ email: "gestor@obra.test", password: "gestor-pass-123", fullName: "Gestor" });
    const { provider } = providerFor(emu);
    const session = await provider.loginUser("gestor@obra.test", "gestor-pass-123");
    assert.ok(session.expiresAt > new Date(Date.now() + 11 * 3600_000));
    const author = { email: "gestor@obra.test", name: "Gestor", session };
    const { ref } = await provider.send(await sendInput({ author }));
    assert.equal(emu.document(ref)!.author, "gestor@obra.test");
    assert.equal((await provider.profile(author)).email, "gestor@obra.test");
    assert.equal(emu.counters().logins, 1, "only the user's own login");

    emu.expireAllTokens();
    await rejectsWith(provider.status(ref, author), (e) => {
      assert.equal(e.httpStatus, 401);
      assert.equal(e.retryable, false);
    });
    await rejectsWith(provider.status(ref, { ...author, session: { ...session, expiresAt: new Date(Date.now() - 1) } }), (e) =>
      assert.equal(e.httpStatus, 401),
    );
    assert.equal(emu.counters().logins, 1);
  });

  it("a wrong password: non-retryable, and the password is nowhere", async () => {
    const { provider, logLines } = providerFor(emu);
    await rejectsWith(provider.loginUser("gestor@obra.test", "segredo-errado-999"), (e) => {
      assert.equal(e.retryable, false);
      assert.doesNotMatch(e.message, /segredo-errado-999/);
    });
    assert.ok(logLines.every((l) => !l.includes("segredo-errado-999")));
  });
});

describe("faults", () => {
  it("latency beyond the timeout: retryable ProviderError", async () => {
    const { provider } = providerFor(emu, { timeoutMs: 100, retries: 1 });
    const { ref } = await provider.send(await sendInput());
    emu.setLatency(400, { routes: ["status"] });
    await rejectsWith(provider.status(ref, serviceAuthor), (e) => {
      assert.equal(e.retryable, true);
      assert.ok(e instanceof TaeError && e.kind === "timeout");
    });
    assert.equal(emu.calls("status").length, 2, "a GET is tried retries + 1 times");
  });

  it("5xx on a GET is retried and succeeds", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.failNext(2, { routes: ["status"], status: 503 });
    assert.equal((await provider.status(ref, serviceAuthor)).status, "pending");
    assert.equal(emu.calls("status").length, 3);
  });

  it("5xx beyond the retries: retryable ProviderError with the HTTP status", async () => {
    const { provider } = providerFor(emu, { retries: 1 });
    const { ref } = await provider.send(await sendInput());
    emu.failNext(5, { routes: ["download"], status: 500 });
    await rejectsWith(provider.download(ref, "original", serviceAuthor), (e) => {
      assert.equal(e.retryable, true);
      assert.equal(e.httpStatus, 500);
    });
    assert.equal(emu.calls("download").length, 2);
  });

  it("a dropped connection on a GET is retried", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.dropNext(1, { routes: ["status"] });
    assert.equal((await provider.status(ref, serviceAuthor)).status, "pending");
    assert.equal(emu.calls("status").length, 2);
  });

  it("dropped connections every time: retryable network error", async () => {
    const { provider } = providerFor(emu, { retries: 1 });
    const { ref } = await provider.send(await sendInput());
    emu.dropNext(10, { routes: ["status"] });
    await rejectsWith(provider.status(ref, serviceAuthor), (e) => {
      assert.equal(e.retryable, true);
      assert.ok(e instanceof TaeError && e.kind === "network");
    });
  });

  it("HTTP 200 with success:false surfaces TAE's message, not retryable, not repeated", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    // A refused cancel of an open document falls back to delete (§7): both refuse here.
    emu.failLogicallyNext("Plano de assinaturas sem saldo.", { routes: ["cancel", "deleteDocument"], count: 2 });
    await rejectsWith(provider.cancel(ref, serviceAuthor), (e) => {
      assert.equal(e.retryable, false);
      assert.equal(e.httpStatus, 200);
      assert.match(e.message, /Plano de assinaturas sem saldo\./);
    });
    const before = emu.calls("status").length; // the fallback looked the document up
    emu.failLogicallyNext("Serviço em manutenção.", { routes: ["status"] });
    await rejectsWith(provider.status(ref, serviceAuthor), (e) => assert.match(e.message, /Serviço em manutenção\./));
    assert.equal(emu.calls("status").length, before + 1);
  });

  it("succeeded:false on the identity service surfaces its description", async () => {
    const { provider } = providerFor(emu);
    emu.failLogicallyNext("Conta bloqueada.", { routes: ["login"] });
    await rejectsWith(provider.status("1001", serviceAuthor), (e) => {
      assert.equal(e.retryable, false);
      assert.match(e.message, /Conta bloqueada\./);
    });
  });

  it("an unreachable host: retryable", async () => {
    const url = emu.url;
    await emu.close();
    const { provider } = providerFor({ ...emu, authUrl: `${url}/identityintegration`, apiUrl: url }, { retries: 0 });
    await rejectsWith(provider.status("1001", serviceAuthor), (e) => assert.equal(e.retryable, true));
    emu = await startTaeEmulator();
  });
});

describe("secrets", () => {
  it("the service password and tokens appear in no error and no log line", async () => {
    const password = emu.serviceUser.password;
    const { provider, logLines } = providerFor(emu, { timeoutMs: 100, retries: 1 });
    const errors: string[] = [];
    const collect = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        errors.push(String((e as Error).message), JSON.stringify(e), String((e as Error).stack));
      }
    };
    const { ref } = await provider.send(await sendInput());
    emu.failLogicallyNext(`Senha ${password} expirada.`, { routes: ["status"] });
    await collect(provider.status(ref, serviceAuthor));
    emu.expireAllTokens();
    await collect(provider.status(ref, serviceAuthor));
    emu.failNext(3, { routes: ["download"] });
    await collect(provider.download(ref, "original", serviceAuthor));
    emu.setLatency(300, { routes: ["status"] });
    await collect(provider.status(ref, serviceAuthor));
    emu.clearFaults();
    emu.expireAllTokens();
    emu.failNext(5, { routes: ["login"], status: 500 });
    await collect(provider.status(ref, serviceAuthor));
    const wrong = providerFor(emu, { servicePassword: "outra-senha-secreta" });
    await collect(wrong.provider.status(ref, serviceAuthor));

    assert.ok(errors.length >= 5);
    assert.ok(errors.some((e) => e.includes("[redacted]")), "the echoed password was masked");
    for (const text of [...errors, ...logLines, ...wrong.logLines]) {
      assert.ok(!text.includes(password), `password leaked: ${text}`);
      assert.ok(!text.includes("outra-senha-secreta"), `password leaked: ${text}`);
      assert.ok(!/tae\.[A-Za-z0-9_-]{20,}/.test(text), `token leaked: ${text}`);
    }
    assert.ok(logLines.length > 5);
  });
});

describe("authors", () => {
  it("ensureAuthor finds an existing user case-insensitively, and creates a missing one when asked", async () => {
    const { provider } = providerFor(emu);
    emu.addUser({ email: "Gestor@Obra.test", password: "x-123456", fullName: "Gestor" });
    emu.addUser({ email: "gestor@obra.test.br", password: "x-123456", fullName: "Outro" });
    assert.deepEqual(await provider.ensureAuthor({ email: "gestor@obra.TEST", name: "Gestor" }, { create: true }), {
      exists: true,
      created: false,
    });
    assert.deepEqual(await provider.ensureAuthor({ email: "novo@obra.test", name: "Novo" }, { create: false }), {
      exists: false,
      created: false,
    });
    // "gestor@obra.test" is a substring of another user's e-mail: the lookup must match exactly.
    assert.deepEqual(await provider.ensureAuthor({ email: "obra.test", name: "x" }, { create: false }), { exists: false, created: false });
    assert.deepEqual(
      await provider.ensureAuthor({ email: "novo@obra.test", name: "Novo Usuário", cpf: "111.444.777-35" }, { create: true }),
      { exists: true, created: true },
    );
    const registered = emu.users().find((u) => u.email === "novo@obra.test")!;
    assert.equal(registered.fullName, "Novo Usuário");
    assert.equal(registered.cpf, "11144477735");
    const body = emu.calls("register")[0].body as Record<string, unknown>;
    assert.equal(body.acceptedTerm, true);
    assert.equal(body.userType, 1);
    assert.equal(emu.counters().logins, 1);
  });

  it("ensureAuthor when the register answer is lost: confirmed by a lookup", async () => {
    const { provider } = providerFor(emu);
    emu.dropNext(1, { routes: ["register"], afterProcessing: true });
    assert.deepEqual(await provider.ensureAuthor({ email: "novo@obra.test", name: "Novo" }, { create: true }), {
      exists: true,
      created: true,
    });
    assert.equal(emu.calls("register").length, 1);
  });
});
