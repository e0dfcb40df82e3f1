import assert from "node:assert/strict";
import { openPage, signInByForm } from "../support/page-session.js";
import { after, before, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract, makeProject } from "../support/factories.js";
import { multipart } from "../support/multipart.js";
import { samplePdf } from "../support/pdfs.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

const NUL = "\u0000";

test("a NUL or other control character in any string is a 400 naming the field, on every edge", async () => {
  const contract = await makeContract(h);
  const cases: Array<{ what: string; res: () => Promise<{ status: number; body: any }>; field: string }> = [
    { what: "list filter", res: () => h.call("GET", `/api/projects?q=obra${encodeURIComponent(NUL)}`), field: "q" },
    { what: "envelope filter", res: () => h.call("GET", `/api/envelopes?recipient=a${encodeURIComponent("\u0007")}`), field: "recipient" },
    { what: "record name", res: () => h.call("POST", "/api/projects", { code: "P-NUL", name: `Obra${NUL}`, address: "Rua A" }), field: "name" },
    { what: "nested field", res: () => h.call("POST", "/api/parties", { kind: "supplier", name: "Fornecedor", document: "11222333000181", contacts: [{ name: `Ana${NUL}`, email: "ana@example.com", role: "witness" }] }), field: "contacts.0.name" },
    { what: "path parameter", res: () => h.call("GET", `/api/projects/${encodeURIComponent(`x${NUL}`)}`), field: "id" },
    { what: "public sign endpoint", res: () => h.call("POST", "/api/signing/sig_unknown/sign", { code: "123456", signature: { type: "typed", value: `Ana${NUL}` } }, null), field: "signature.value" },
    { what: "public reject endpoint", res: () => h.call("POST", "/api/signing/sig_unknown/reject", { code: "123456", reason: `Não concordo${NUL}` }, null), field: "reason" },
    {
      what: "multipart envelope",
      res: () => h.upload("/api/envelopes", [
        { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: `Contrato${NUL}`, recipients: [{ name: "Ana", email: "ana@example.com", action: "sign" }] }) },
      ], "manager").then(async (r) => r),
      field: "name",
    },
  ];
  for (const c of cases) {
    const res = await c.res();
    assert.equal(res.status, 400, `${c.what}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, "validation", c.what);
    assert.match(res.body.error.fields[c.field] ?? "", /control characters/, `${c.what}: ${JSON.stringify(res.body.error.fields)}`);
  }
});

test("the login form, a page form and the wizard's multipart fields refuse control characters with a 400", async () => {
  const anonymous = await openPage(h.app, "/login");
  const login = await h.app.inject({ method: "POST", url: "/login", cookies: anonymous.cookies, payload: { email: `admin${NUL}@obrasign.test`, password: "x", _csrf: anonymous.token } });
  assert.equal(login.statusCode, 400);
  assert.match(login.json().error.fields.email, /control characters/);

  const contract = await makeContract(h);
  const browser = await signInByForm(h.app, "manager@obrasign.test", "manager-password-1");
  const body = multipart([{ name: "step", value: "1" }, { name: "name", value: `Contrato${NUL}` }, { name: "source", value: "upload" }, { name: "file", filename: "c.pdf", bytes: await samplePdf() }]);
  const wizard = await h.app.inject({ method: "POST", url: `/records/contracts/${contract.id}/send`, payload: body.payload, headers: { ...body.headers, ...browser.headers }, cookies: browser.cookies });
  assert.equal(wizard.statusCode, 400);
  assert.match(wizard.body, /control characters/);
});

test("tab, line feed and carriage return stay allowed", async () => {
  const project = await makeProject(h, { address: "Rua A, 1\r\nBloco B\tTérreo" });
  assert.equal(project.address, "Rua A, 1\r\nBloco B\tTérreo");
});

test("the language switch with an unparsable Referer goes home instead of failing", async () => {
  const anonymous = await openPage(h.app, "/login");
  const res = await h.app.inject({ method: "POST", url: "/language", cookies: anonymous.cookies, payload: { lang: "en", _csrf: anonymous.token }, headers: { referer: "http://[not a url" } });
  assert.equal(res.statusCode, 302);
  assert.equal(res.headers.location, "/");
});
