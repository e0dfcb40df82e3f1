import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";

/** A loopback HTTP server that records every request (method, path, headers, body) and answers as told. */
async function startRecorder(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const received: { method: string; path: string; headers: IncomingMessage["headers"]; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const password = "Senha-Que-Nao-Pode-Vazar-7731";
const leak = "INTERNAL-PROXY 10.20.30.40 db_password=hunter2";

let h: Harness;
const lines: string[] = [];
let elsewhere: Awaited<ReturnType<typeof startRecorder>>;
let redirecting: Awaited<ReturnType<typeof startRecorder>>;
let htmlError: Awaited<ReturnType<typeof startRecorder>>;

const allowPrivate = (on: boolean) => {
  h.runtime.ctx.config.providersAllowPrivate = on;
};

/** Points the TAE settings at `base` with a service user and password (while private addresses are allowed). */
async function pointTaeAt(base: string) {
  allowPrivate(true);
  const res = await h.call("PUT", "/api/settings/signature", {
    totvsSign: { authUrl: `${base}/identityintegration`, apiUrl: base, serviceUser: "servico@obrasign.test", servicePassword: password },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

before(async () => {
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  h = await startHarness({}, { logDestination: sink });
  elsewhere = await startRecorder((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"success":true,"data":{"token":"x"}}'));
  redirecting = await startRecorder((req, res) => res.writeHead(307, { location: `${elsewhere.url}/steal${req.url}` }).end());
  htmlError = await startRecorder((_req, res) =>
    res.writeHead(502, { "content-type": "text/html; charset=utf-8" }).end(`<html><body><h1>502 Bad Gateway</h1><p>${leak}</p></body></html>`),
  );
});
after(async () => {
  await h?.close();
  await Promise.all([elsewhere?.close(), redirecting?.close(), htmlError?.close()]);
});

describe("TAE client: redirects, foreign bodies, private hosts", () => {
  test("a 307 from the TAE host is an error naming the target host; the password never reaches the target", async () => {
    await pointTaeAt(redirecting.url);
    const before = redirecting.received.length;
    const res = await h.call("POST", "/api/settings/signature/test");
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, false);
    assert.match(res.body.message, /redirect \(HTTP 307\)/);
    assert.ok(res.body.message.includes(elsewhere.url), res.body.message);
    assert.ok(redirecting.received.length > before, "the TAE host was asked");
    assert.equal(elsewhere.received.length, 0, "nothing reached the redirect target");
    const pt = await h.call("POST", "/api/settings/signature/test", undefined, "admin", { "accept-language": "pt-BR" });
    assert.match(pt.body.message, /redirecionamento \(HTTP 307\)/);
    assert.equal(elsewhere.received.length, 0);
    assert.ok(!lines.some((l) => l.includes(password)), "the password is in no log line");
  });

  test("test connection against a server answering an HTML error page does not echo its body", async () => {
    await pointTaeAt(htmlError.url);
    for (const language of ["en", "pt-BR"]) {
      const res = await h.call("POST", "/api/settings/signature/test", undefined, "admin", { "accept-language": language });
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, false);
      assert.match(res.body.message, /HTTP 502/);
      assert.match(res.body.message, /text\/html/);
      for (const piece of ["Bad Gateway", "<html", "10.20.30.40", "hunter2"]) assert.ok(!res.body.message.includes(piece), `${piece} in: ${res.body.message}`);
    }
    assert.ok(htmlError.received.length > 0, "the server was asked");
    assert.ok(!lines.some((l) => l.includes("hunter2") || l.includes("Bad Gateway")), "nor in a log line");
  });

  test("without OBRASIGN_PROVIDERS_ALLOW_PRIVATE, private, loopback and plain-http addresses are refused (400 naming the field)", async () => {
    allowPrivate(false);
    try {
      for (const [field, url] of [
        ["authUrl", "https://10.0.0.8/identityintegration"], ["apiUrl", "https://192.168.1.20"], ["apiUrl", "https://[::ffff:127.0.0.1]:8443"],
        ["authUrl", "http://127.0.0.1:9/identityintegration"], ["apiUrl", "https://localhost:8443"], ["webLoginUrl", "https://169.254.169.254/login"],
        ["apiUrl", "https://[::127.0.0.1]"],
      ] as const) {
        const res = await h.call("PUT", "/api/settings/signature", { totvsSign: { [field]: url } });
        assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, "validation");
        assert.match(res.body.error.fields[`totvsSign.${field}`], /private|https/, url);
      }
      const pt = await h.call("PUT", "/api/settings/signature", { totvsSign: { apiUrl: "https://10.1.1.1" } }, "admin", { "accept-language": "pt-BR" });
      assert.match(pt.body.error.fields["totvsSign.apiUrl"], /endereço privado/);
      const settings = (await h.call("GET", "/api/settings/signature")).body.totvsSign;
      assert.ok(![settings.authUrl, settings.apiUrl, settings.webLoginUrl].some((u: string) => /10\.0\.0\.8|192\.168|169\.254|::/.test(u)), "nothing saved");
      // A public https address still passes (an IP literal: no DNS needed).
      const ok = await h.call("PUT", "/api/settings/signature", { totvsSign: { webLoginUrl: "https://200.147.67.142/login" } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    } finally {
      allowPrivate(true);
    }
  });

  test("an address saved while allowed is refused at call time once the allowance is off: nothing is sent", async () => {
    const target = await startRecorder((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
    try {
      await pointTaeAt(target.url);
      allowPrivate(false);
      const res = await h.call("POST", "/api/settings/signature/test");
      assert.equal(res.body.ok, false);
      assert.match(res.body.message, /OBRASIGN_PROVIDERS_ALLOW_PRIVATE/);
      assert.ok(res.body.message.includes(target.url.replace(/^http:\/\//, "")), res.body.message);
      assert.equal(target.received.length, 0, "no request reached the private host");
    } finally {
      allowPrivate(true);
      await target.close();
    }
  });
});
