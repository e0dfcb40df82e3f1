/** The emulator itself, spoken to with plain fetch: the wire shapes of TAE-API.md. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTaeEmulator, type TaeEmulator } from "../../tae-emulator/index.js";
import { makePdf } from "./helpers.js";

let emu: TaeEmulator;
let token: string;
before(async () => {
  emu = await startTaeEmulator();
});
after(async () => {
  await emu.close();
});

async function call(method: string, path: string, body?: unknown, auth = true) {
  const res = await fetch(emu.url + path, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function upload(name: string) {
  const form = new FormData();
  form.append("NomeEnvelope", name);
  form.append("Envelope", new Blob([await makePdf("a")], { type: "application/pdf" }), "a.pdf");
  form.append("Envelope", new Blob([await makePdf("b")], { type: "application/pdf" }), "b.pdf");
  const res = await fetch(`${emu.apiUrl}/documents/v1/envelopes/upload`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  return (await res.json()) as { success: boolean; data: number };
}

describe("TAE emulator", () => {
  it("login answers the identity envelope with an opaque token and a UTC expirationDate", async () => {
    const res = await call("POST", "/identityintegration/v2/auth/login", { userName: emu.serviceUser.email, password: emu.serviceUser.password }, false);
    assert.equal(res.status, 200);
    assert.equal(res.body.succeeded, true);
    assert.match(res.body.data.expirationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    token = res.body.data.token;
    const bad = await call("POST", "/identityintegration/v2/auth/login", { userName: emu.serviceUser.email, password: "x" }, false);
    assert.equal(bad.status, 401);
    assert.equal(bad.body.succeeded, false);
  });

  it("refuses a missing or unknown token with 401", async () => {
    assert.equal((await call("GET", "/documents/v2/publicacoes/1", undefined, false)).status, 401);
    const res = await fetch(`${emu.apiUrl}/documents/v2/publicacoes/1`, { headers: { authorization: "Bearer nope" } });
    assert.equal(res.status, 401);
  });

  it("upload with several Envelope parts, publish on the signintegration path, status, search, download", async () => {
    const up = await upload("Dois arquivos");
    assert.equal(up.success, true);
    const id = up.data;
    assert.equal(emu.document(id)!.files.length, 2);

    const draft = await call("GET", `/documents/v2/publicacoes/${id}`);
    assert.equal(draft.body.data.status, 5);

    const publish = await call("POST", "/signintegration/v2/Publicacoes", {
      idDocumento: id,
      utilizaWorkflow: false,
      destinatarios: [{ email: "a@x.test", acao: 0, workflow: 0, nomeCompleto: "A" }],
      observadores: [{ email: "o@x.test", tipoEnvioDocumento: 1 }],
      publicacaoOpcoes: { idDocumento: id, permiteRejeitarDocumento: true },
    });
    assert.deepEqual([publish.status, publish.body.success], [200, true]);
    const twice = await call("POST", "/documents/v1/publicacoes", { idDocumento: id, destinatarios: [{ email: "b@x.test", acao: 0 }] });
    assert.equal(twice.status, 400);
    assert.deepEqual(twice.body.errors, ["Documento já publicado."]);

    const status = await call("GET", `/documents/v2/publicacoes/${id}`);
    assert.equal(status.body.data.status, 0);
    assert.deepEqual(status.body.data.pendentes, [{ email: "a@x.test", acao: 0, pendente: true }]);
    assert.deepEqual(status.body.data.assinantes, []);

    const search = await call("POST", "/documents/v2/publicacoes/pesquisas?PaginaAtual=1&TamanhoPagina=50", { email: emu.serviceUser.email, pesquisarEmTodaEmpresa: false });
    assert.equal(search.body.data.total, 1);
    assert.equal(search.body.data.registro[0].nomeArquivo, "Dois arquivos");

    const original = await call("GET", `/documents/v1/publicacoes/${id}/download?tipoDownload=1`);
    assert.equal(Buffer.from(original.body.data.fileBytes, "base64").subarray(0, 5).toString(), "%PDF-");
    const early = await call("GET", `/documents/v1/publicacoes/${id}/download?tipoDownload=3`);
    assert.equal(early.status, 400);
    emu.act(id, "a@x.test");
    const signed = await call("GET", `/documents/v1/publicacoes/${id}/download?tipoDownload=3`);
    assert.equal(signed.status, 200);
  });

  it("refuses duplicate recipients and observers placed in destinatarios", async () => {
    const { data: id } = await upload("Duplicado");
    const dup = await call("POST", "/documents/v1/publicacoes", {
      idDocumento: id,
      destinatarios: [{ email: "a@x.test", acao: 0 }, { email: "A@X.test", acao: 1 }],
    });
    assert.equal(dup.status, 400);
    assert.match(dup.body.message, /duplicado/);
    const observer = await call("POST", "/documents/v1/publicacoes", { idDocumento: id, destinatarios: [{ email: "a@x.test", acao: 3 }] });
    assert.equal(observer.status, 400);
  });

  it("answers 'Documento não encontrado.' for unknown ids", async () => {
    const res = await call("GET", "/documents/v2/publicacoes/424242");
    assert.deepEqual([res.status, res.body.success, res.body.message], [200, false, "Documento não encontrado."]);
    const cancel = await call("POST", "/documents/v1/publicacoes/424242/cancelar");
    assert.equal(cancel.status, 400);
  });

  it("serves controls over HTTP under /__control", async () => {
    const { data: id } = await upload("Controle");
    await call("POST", "/documents/v1/publicacoes", { idDocumento: id, destinatarios: [{ email: "c@x.test", acao: 0 }] });
    const rejected = await call("POST", `/__control/documents/${id}/reject`, { email: "c@x.test", reason: "Não concordo" }, false);
    assert.equal(rejected.body.status, 4);
    assert.equal((await call("GET", `/documents/v2/publicacoes/${id}`)).body.data.motivoRejeicao, "Não concordo");
    await call("POST", "/__control/faults", { failNext: 1, status: 502, routes: ["status"] }, false);
    assert.equal((await call("GET", `/documents/v2/publicacoes/${id}`)).status, 502);
    const counters = await call("GET", "/__control/counters", undefined, false);
    assert.ok(counters.body.uploads >= 1);
    assert.ok(counters.body.calls.status >= 2);
  });
});
