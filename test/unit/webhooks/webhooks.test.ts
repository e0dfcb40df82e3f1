import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { deliveryBackoffMs, deliveryDelaysMs, maxDeliveryAttempts } from "../../../src/modules/webhooks/backoff.js";
import { documentIdOf } from "../../../src/modules/providers/totvs-sign/inbound/receive-totvs-sign-call.js";
import { eventForStatusChange } from "../../../src/modules/webhooks/events.js";
import { parseSignatureHeader, signatureHeader, verifySignature } from "../../../src/modules/webhooks/signature.js";
import { isPrivateAddress, webhookUrlSyntaxProblem } from "../../../src/modules/webhooks/url-guard.js";

describe("signature header", () => {
  const secret = "whsec_test_0123456789";
  const body = JSON.stringify({ id: "e1", type: "envelope.sent", data: { envelope: { name: "Contrato — medição nº 3" } } });
  const at = new Date("2026-11-28T12:00:00.750Z");

  test("t is the unix second, v1 the hex HMAC-SHA256 of \"<t>.<body>\"", () => {
    const header = signatureHeader(secret, body, at);
    const t = Math.floor(at.getTime() / 1000);
    const expected = createHmac("sha256", secret).update(`${t}.${body}`, "utf8").digest("hex");
    assert.equal(header, `t=${t},v1=${expected}`);
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
  });

  test("a receiver verifies it; another secret, another body or an old timestamp fail", () => {
    const header = signatureHeader(secret, body, at);
    assert.ok(verifySignature(header, secret, body, at));
    assert.ok(!verifySignature(header, "whsec_other_secret__", body, at));
    assert.ok(!verifySignature(header, secret, `${body} `, at));
    assert.ok(!verifySignature(header, secret, body, new Date(at.getTime() + 10 * 60_000)), "replayed ten minutes later");
    assert.ok(!verifySignature("garbage", secret, body, at));
  });

  test("parses several v1 values (secret rotation)", () => {
    const parsed = parseSignatureHeader(`t=1, v1=${"a".repeat(64)}, v1=${"b".repeat(64)}`);
    assert.deepEqual(parsed, { t: 1, v1: ["a".repeat(64), "b".repeat(64)] });
  });
});

describe("retry schedule", () => {
  test("at least 8 tries spread over at least 24 hours, growing", () => {
    assert.ok(maxDeliveryAttempts >= 8);
    const waits = Array.from({ length: maxDeliveryAttempts - 1 }, (_, i) => deliveryBackoffMs(i + 1));
    const total = waits.reduce((a, b) => a + b, 0);
    assert.ok(total >= 24 * 3_600_000, `last try after ${total / 3_600_000} h`);
    for (let i = 1; i < waits.length; i++) assert.ok(waits[i]! > waits[i - 1]!, "each wait longer than the one before");
    assert.deepEqual(waits, [...deliveryDelaysMs]);
    assert.equal(deliveryBackoffMs(1), 60_000);
    assert.equal(deliveryBackoffMs(99), deliveryDelaysMs[deliveryDelaysMs.length - 1]);
  });
});

describe("addresses", () => {
  test("private, loopback, link-local and reserved addresses are refused", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
      "::1", "::", "fe80::1", "fd00::1", "fc00::5", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1"]) {
      assert.ok(isPrivateAddress(a), a);
    }
    for (const a of ["8.8.8.8", "172.32.0.1", "200.147.67.142", "2001:4860:4860::8888", "::ffff:8.8.8.8"]) assert.ok(!isPrivateAddress(a), a);
    assert.ok(isPrivateAddress("not-an-ip"));
  });

  test("IPv6 forms that carry an inside IPv4 are refused; a public IPv4 inside a mapped or 6to4 address is not", () => {
    for (const a of ["::127.0.0.1", "::7f00:1", "::ffff:0:127.0.0.1", "::ffff:0:7f00:1", "::ffff:7f00:1", "::8.8.8.8", "::ffff:0:8.8.8.8",
      "0:0:0:0:0:ffff:a00:1", "2002:7f00:1::1", "2002:c0a8:101::1", "64:ff9b::a00:1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "fe80::1%eth0"]) {
      assert.ok(isPrivateAddress(a), a);
    }
    for (const a of ["::ffff:808:808", "2002:808:808::1", "2800:3f0:4001:80b::200e"]) assert.ok(!isPrivateAddress(a), a);
  });

  test("URL syntax", () => {
    assert.equal(webhookUrlSyntaxProblem("https://erp.example.com/hooks"), null);
    assert.equal(webhookUrlSyntaxProblem("http://erp.example.com/hooks"), null);
    assert.ok(webhookUrlSyntaxProblem("ftp://erp.example.com"));
    assert.ok(webhookUrlSyntaxProblem("https://user:pw@erp.example.com"));
    assert.ok(webhookUrlSyntaxProblem("/relative"));
  });
});

describe("events and inbound calls", () => {
  test("status changes map to events", () => {
    assert.equal(eventForStatusChange("queued", "pending"), "envelope.sent");
    assert.equal(eventForStatusChange("pending", "partially_signed"), null);
    assert.equal(eventForStatusChange("partially_signed", "completed"), "envelope.completed");
    assert.equal(eventForStatusChange("queued", "failed"), "envelope.failed");
    assert.equal(eventForStatusChange("pending", "expired"), "envelope.expired");
    assert.equal(eventForStatusChange("failed", "queued"), null);
  });

  test("the document id is found under any of the usual names, body before query", () => {
    assert.equal(documentIdOf({ idDocumento: 123 }, {}), "123");
    assert.equal(documentIdOf({ IdDocumento: "abc" }, {}), "abc");
    assert.equal(documentIdOf({ data: { documentId: "d-1" } }, {}), "d-1");
    assert.equal(documentIdOf("", { idDocumento: "q-9" }), "q-9");
    assert.equal(documentIdOf('{"id": 7}', {}), "7");
    assert.equal(documentIdOf("idDocumento=55&evento=finalizado", {}), "55");
    assert.equal(documentIdOf({ nothing: true }, {}), null);
  });
});
