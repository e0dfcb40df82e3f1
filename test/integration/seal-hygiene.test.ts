import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { after, before, test } from "node:test";
import * as x509 from "@peculiar/x509";
import { startHarness, type Harness } from "../support/harness.js";
import { multipart } from "../support/multipart.js";
import { day_ms, pfxOf, testCa, testLeaf, type TestKeyCert } from "../support/certificates.js";

let h: Harness;
let root: TestKeyCert;
let intermediate: TestKeyCert;
before(async () => {
  h = await startHarness();
  root = await testCa("AC Raiz Teste");
  intermediate = await testCa("AC Intermediária Teste", root);
});
after(async () => { await h?.close(); });

/** Installs as an administrator reading Portuguese (the installation's default language). */
async function install(bytes: Uint8Array, extra: { name: string; value: string }[] = []) {
  const body = multipart([{ name: "file", filename: "a1.pfx", contentType: "application/x-pkcs12", bytes }, { name: "password", value: "senha" }, ...extra]);
  const res = await h.app.inject({ method: "POST", url: "/api/settings/seal", payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${h.tokens.admin}`, "accept-language": "pt-BR" } });
  return { status: res.statusCode, body: res.json() };
}

test("an expired .pfx is refused with the reason in Portuguese, and nothing is installed", async () => {
  const before = (await h.call("GET", "/api/settings/seal")).body.items.length;
  const leaf = await testLeaf(intermediate, "Vencido", { notBefore: new Date(Date.now() - 400 * day_ms), notAfter: new Date(Date.now() - 10 * day_ms) });
  const res = await install(pfxOf(leaf, [intermediate.certificatePem, root.certificatePem], "senha"));
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.match(res.body.error.message, /venceu em/);
  assert.ok(res.body.error.fields.file);
  assert.equal((await h.call("GET", "/api/settings/seal")).body.items.length, before);
});

test("not yet valid, without signing key usage, or RSA-1024: refused, each saying why", async () => {
  const future = await testLeaf(intermediate, "Futuro", { notBefore: new Date(Date.now() + 10 * day_ms) });
  assert.match((await install(pfxOf(future, [intermediate.certificatePem, root.certificatePem], "senha"))).body.error.message, /só é válido a partir de/);
  const encipherOnly = await testLeaf(intermediate, "Cifra", { usages: x509.KeyUsageFlags.keyEncipherment });
  const usage = await install(pfxOf(encipherOnly, [intermediate.certificatePem, root.certificatePem], "senha"));
  assert.equal(usage.status, 422);
  assert.match(usage.body.error.message, /digitalSignature/);
  const weak = await testLeaf(intermediate, "Fraco", { bits: 1024 });
  const weakRes = await install(pfxOf(weak, [intermediate.certificatePem, root.certificatePem], "senha"));
  assert.equal(weakRes.status, 422);
  assert.match(weakRes.body.error.message, /1024 bits/);
});

test("a leaf-only .pfx is refused (in English when asked); with its intermediates as PEM parts it installs", async () => {
  const leaf = await testLeaf(intermediate, "Só Folha");
  const pfx = pfxOf(leaf, [], "senha");
  const res = await install(pfx);
  assert.equal(res.status, 422);
  assert.match(res.body.error.message, /cadeia do certificado está incompleta/);
  assert.match(res.body.error.message, /AC Intermediária Teste/);

  const body = multipart([{ name: "file", filename: "a1.pfx", contentType: "application/x-pkcs12", bytes: pfx }, { name: "password", value: "senha" }]);
  const en = await h.app.inject({ method: "POST", url: "/api/settings/seal", payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${h.tokens.admin}`, "accept-language": "en-US,en" } });
  assert.equal(en.statusCode, 422);
  assert.match(en.json().error.message, /chain is incomplete/);

  const installed = await install(pfx, [{ name: "chain", value: intermediate.certificatePem + "\n" + root.certificatePem }]);
  assert.equal(installed.status, 201, JSON.stringify(installed.body));
  assert.equal(installed.body.chainLength, 3);
  const anchors = (await h.call("GET", "/api/settings/seal/anchors")).body.items;
  assert.ok(anchors.some((a: any) => a.purpose === "pfx" && /AC Raiz Teste/.test(a.subject)), "the .pfx's root becomes a trust anchor");
});

test("/seal/ca.pem publishes CAs only, never a leaf; admins add and remove trust anchors, leaves refused", async () => {
  const pem = (await h.app.inject({ method: "GET", url: "/seal/ca.pem" })).body;
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  assert.ok(certs.length >= 1);
  for (const c of certs) assert.equal(new X509Certificate(c).ca, true, new X509Certificate(c).subject);

  const icp = await testCa("AC Raiz ICP Teste v10");
  const added = await h.call("POST", "/api/settings/seal/anchors", { certificate: icp.certificatePem });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.equal(added.body.items[0].purpose, "uploaded");
  assert.equal((await h.call("POST", "/api/settings/seal/anchors", { certificate: icp.certificatePem })).body.items[0].id, added.body.items[0].id, "idempotent");
  assert.match((await h.app.inject({ method: "GET", url: "/seal/ca.pem" })).body, new RegExp(icp.certificatePem.split("\n")[1]!.slice(0, 40).replace(/[+/]/g, "\\$&")));

  const leaf = await testLeaf(icp, "Folha");
  const refusedRaw = await h.app.inject({ method: "POST", url: "/api/settings/seal/anchors", payload: { certificate: leaf.certificatePem }, headers: { authorization: `Bearer ${h.tokens.admin}`, "accept-language": "pt-BR" } });
  const refused = { status: refusedRaw.statusCode, body: refusedRaw.json() };
  assert.equal(refused.status, 422);
  assert.match(refused.body.error.message, /não é uma autoridade certificadora/);
  assert.equal((await h.call("POST", "/api/settings/seal/anchors", { certificate: "not a cert" })).status, 400);
  assert.equal((await h.call("POST", "/api/settings/seal/anchors", { certificate: icp.certificatePem }, "manager")).status, 403);

  assert.equal((await h.call("DELETE", `/api/settings/seal/anchors/${added.body.items[0].id}`)).status, 204);
  assert.ok(!(await h.call("GET", "/api/settings/seal/anchors")).body.items.some((a: any) => a.id === added.body.items[0].id));
});
