import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { multipart } from "../support/multipart.js";
import { openPage, signInByForm, type PageSession } from "../support/page-session.js";
import { pfxOf, testCa, testLeaf } from "../support/certificates.js";

let h: Harness;
let admin: PageSession;
let manager: PageSession;

before(async () => {
  h = await startHarness();
  admin = await signInByForm(h.app, "admin@obrasign.test", "admin-password-1");
  manager = await signInByForm(h.app, "manager@obrasign.test", "manager-password-1");
});
after(async () => { await h?.close(); });

const html = { accept: "text/html", "accept-language": "pt-BR" };
const text = (body: string) => body.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, " ");

/** A multipart page form as a browser sends it: the CSRF token in the action's query (it.withCsrf). */
async function postMultipart(session: PageSession, url: string, parts: Parameters<typeof multipart>[0], headers: Record<string, string> = html) {
  const fresh = await openPage(h.app, "/settings/seal", session.cookies);
  const body = multipart(parts);
  return h.app.inject({ method: "POST", url: `${url}?_csrf=${encodeURIComponent(fresh.token)}`, payload: body.payload, cookies: fresh.cookies, headers: { ...headers, ...body.headers } });
}

async function postForm(session: PageSession, url: string, payload: Record<string, string>) {
  const fresh = await openPage(h.app, "/settings/seal", session.cookies);
  return h.app.inject({ method: "POST", url, payload: { ...payload, _csrf: fresh.token }, cookies: fresh.cookies, headers: html });
}

describe("/settings/seal", () => {
  test("shows the seal in use: subject, issuer, validity, chain and level, in pt-BR", async () => {
    const res = await h.app.inject({ method: "GET", url: "/settings/seal", cookies: admin.cookies, headers: html });
    assert.equal(res.statusCode, 200);
    const words = text(res.body);
    assert.match(words, /Certificado em uso/);
    assert.match(words, /Gerado pela instalação/);
    assert.match(words, /Titular .*obrasign/);
    assert.match(words, /Emissor/);
    assert.match(words, /de \d{2}\/\d{2}\/\d{4}.* até \d{2}\/\d{2}\/\d{4}/, "validity as Brazilian dates");
    assert.match(words, /PAdES B-B/, "no TSA configured: B-B");
    assert.match(res.body, /<ol><li>[^<]*obrasign[^<]*<\/li><\/ol>/, "the chain lists the installation CA");
    assert.match(res.body, /action="\/settings\/seal\?_csrf=[^"]+" enctype="multipart\/form-data"/, "the multipart form carries the token in its action");
  });

  test("a manager gets a 403 page, not the form", async () => {
    const res = await h.app.inject({ method: "GET", url: "/settings/seal", cookies: manager.cookies, headers: html });
    assert.equal(res.statusCode, 403);
    assert.match(res.headers["content-type"] as string, /text\/html/);
    assert.doesNotMatch(res.body, /name="password"/);
    const post = await postMultipart(manager, "/settings/seal", [{ name: "password", value: "x" }]);
    assert.equal(post.statusCode, 403);
  });

  test("installing a .pfx: no file, a wrong password and an incomplete chain are refused in the page in pt-BR; a good one seals from then on", async () => {
    const none = await postMultipart(admin, "/settings/seal", [{ name: "password", value: "x" }]);
    assert.equal(none.statusCode, 400);
    assert.match(text(none.body), /Escolha o arquivo do certificado/);

    const root = await testCa("AC Raiz Página");
    const intermediate = await testCa("AC Intermediária Página", root);
    const leaf = await testLeaf(intermediate, "Construtora Página Ltda");
    const pfx = pfxOf(leaf, [], "senha-certa");

    const wrong = await postMultipart(admin, "/settings/seal", [{ name: "file", filename: "a1.pfx", contentType: "application/x-pkcs12", bytes: pfx }, { name: "password", value: "errada" }]);
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.headers["content-type"] as string, /text\/html/);
    assert.match(text(wrong.body), /Não foi possível abrir o arquivo do certificado: senha errada/);

    const incomplete = await postMultipart(admin, "/settings/seal", [{ name: "file", filename: "a1.pfx", contentType: "application/x-pkcs12", bytes: pfx }, { name: "password", value: "senha-certa" }]);
    assert.equal(incomplete.statusCode, 422);
    assert.match(text(incomplete.body), /A cadeia do certificado está incompleta: falta o emissor/);
    assert.match(incomplete.body, /id="seal-file-err"/, "the message sits by the file field");
    assert.equal((await h.call("GET", "/api/settings/seal")).body.items.filter((i: any) => i.active)[0].source, "generated", "nothing installed");

    const installed = await postMultipart(admin, "/settings/seal", [
      { name: "file", filename: "a1.pfx", contentType: "application/x-pkcs12", bytes: pfx },
      { name: "password", value: "senha-certa" },
      { name: "chain", filename: "chain.pem", contentType: "application/x-pem-file", bytes: Buffer.from(intermediate.certificatePem + root.certificatePem) },
    ]);
    assert.equal(installed.statusCode, 201, text(installed.body).slice(0, 400));
    const words = text(installed.body);
    assert.match(words, /Certificado instalado: CN=Construtora Página Ltda/);
    assert.match(words, /Certificado instalado \(\.pfx\)/);
    assert.match(installed.body, /<li>CN=AC Intermediária Página, O=Teste<\/li><li>CN=AC Raiz Página, O=Teste<\/li>/);
    const api = (await h.call("GET", "/api/settings/seal")).body.items.find((i: any) => i.active);
    assert.equal(api.source, "pfx");
    assert.match(api.subject, /Construtora Página Ltda/);
    assert.match(words, /Raiz de um certificado instalado/, "its root became a trust anchor");
  });

  test("trust anchors: a leaf is refused in the page, a CA is added and listed, then removed", async () => {
    const ca = await testCa("AC Âncora Página");
    const leaf = await testLeaf(ca, "Folha Qualquer");
    const refused = await postMultipart(admin, "/settings/seal/anchors", [{ name: "certificate", filename: "leaf.pem", contentType: "application/x-pem-file", bytes: Buffer.from(leaf.certificatePem) }]);
    assert.equal(refused.statusCode, 422);
    assert.match(text(refused.body), /não é uma autoridade certificadora/);
    assert.match(refused.body, /id="anchor-file-err"/);

    const empty = await postMultipart(admin, "/settings/seal/anchors", [{ name: "x", value: "" }]);
    assert.equal(empty.statusCode, 400);
    assert.match(text(empty.body), /Escolha o arquivo do certificado/);

    const added = await postMultipart(admin, "/settings/seal/anchors", [{ name: "certificate", filename: "ca.pem", contentType: "application/x-pem-file", bytes: Buffer.from(ca.certificatePem) }]);
    assert.equal(added.statusCode, 201);
    assert.match(text(added.body), /Âncoras adicionadas: CN=AC Âncora Página, O=Teste/);
    const anchor = (await h.call("GET", "/api/settings/seal/anchors")).body.items.find((a: any) => /AC Âncora Página/.test(a.subject));
    assert.ok(anchor, "the API sees the same anchor");
    assert.match(added.body, new RegExp(`action="/settings/seal/anchors/${anchor.id}/remove"`));

    const removed = await postForm(admin, `/settings/seal/anchors/${anchor.id}/remove`, {});
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, "/settings/seal?removed=1");
    assert.equal((await h.call("GET", "/api/settings/seal/anchors")).body.items.some((a: any) => a.id === anchor.id), false);
    const again = await postForm(admin, `/settings/seal/anchors/${anchor.id}/remove`, {});
    assert.equal(again.statusCode, 404);
    assert.match(text(again.body), /Âncora de confiança não encontrada/);
  });
});

describe("the settings menu", () => {
  const sections = ["/settings/signature", "/settings/company", "/settings/users", "/settings/tokens", "/settings/webhooks", "/settings/seal"];
  test("every settings page shows an admin the one menu to every section, the current one marked", async () => {
    for (const url of sections) {
      const res = await h.app.inject({ method: "GET", url, cookies: admin.cookies, headers: html });
      assert.equal(res.statusCode, 200, url);
      const nav = /<nav class="subnav"[^>]*>([\s\S]*?)<\/nav>/.exec(res.body)?.[1] ?? assert.fail(`${url} has the settings menu`);
      for (const href of sections) assert.match(nav, new RegExp(`href="${href}"`), `${url} links ${href}`);
      assert.match(nav, new RegExp(`href="${url}" aria-current="page"`), `${url} is marked current`);
    }
  });

  test("a manager reading a settings page gets no administration menu", async () => {
    const res = await h.app.inject({ method: "GET", url: "/settings/signature", cookies: manager.cookies, headers: html });
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /class="subnav"/);
  });
});
