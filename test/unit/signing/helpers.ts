/** Independent validators (pdfsig/NSS, OpenSSL, qpdf) and a shared test identity. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasTool } from "../../fixtures/pdf/make-fixtures.js";
import { createInstallationCa, createSealCertificate, type CertifiedKey, type SealIdentity } from "../../../src/pades/seal/identity.js";

/** Debian package providing each external tool these tests call. */
const PACKAGES: Record<string, string> = { pdfsig: "poppler-utils", certutil: "libnss3-tools", qpdf: "qpdf", openssl: "openssl" };

export function requireTool(tool: string): void {
  if (!hasTool(tool)) throw new Error(`${tool} is required by this test: apt-get install -y ${PACKAGES[tool] ?? tool}`);
}

let identityPromise: Promise<{ ca: CertifiedKey; seal: SealIdentity }> | undefined;
/** One CA + seal per test process (2048-bit keys: generation speed). */
export function testIdentity() {
  identityPromise ??= (async () => {
    const ca = await createInstallationCa({ installationName: "Construtora Teste Ltda", modulusLength: 2048 });
    return { ca, seal: await createSealCertificate(ca, { modulusLength: 2048 }) };
  })();
  return identityPromise;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "obrasign-signing-"));
}

/** A throw-away NSS database trusting the given CAs, for pdfsig -nssdir. */
export function nssDbTrusting(caPems: string[]): string {
  requireTool("certutil");
  const dir = tempDir();
  execFileSync("certutil", ["-N", "-d", `sql:${dir}`, "--empty-password"]);
  caPems.forEach((pem, i) => {
    writeFileSync(join(dir, `ca${i}.pem`), pem);
    execFileSync("certutil", ["-A", "-d", `sql:${dir}`, "-n", `ca${i}`, "-t", "CT,C,C", "-i", join(dir, `ca${i}.pem`)]);
  });
  return `sql:${dir}`;
}

export interface PdfsigSignature {
  valid: boolean;
  totalDocumentSigned: boolean;
  trusted: boolean;
  subFilter: string;
  text: string;
}

export function pdfsig(bytes: Uint8Array, nssDir: string): PdfsigSignature[] {
  requireTool("pdfsig");
  const file = join(tempDir(), "doc.pdf");
  writeFileSync(file, bytes);
  const result = spawnSync("pdfsig", ["-nssdir", nssDir, file], { encoding: "utf8" });
  return result.stdout
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((text) => ({
      valid: /Signature Validation: Signature is Valid\./.test(text),
      totalDocumentSigned: /Total document signed/.test(text),
      trusted: /Certificate Validation: Certificate is Trusted\./.test(text),
      subFilter: /Signature Type: (\S+)/.exec(text)?.[1] ?? "",
      text,
    }));
}

export function qpdfCheck(bytes: Uint8Array): { ok: boolean; output: string } {
  requireTool("qpdf");
  const file = join(tempDir(), "doc.pdf");
  writeFileSync(file, bytes);
  const result = spawnSync("qpdf", ["--check", file], { encoding: "utf8" });
  return { ok: result.status === 0, output: result.stdout + result.stderr };
}

/** The last signature's ByteRange content and /Contents DER, extracted by plain text search. */
export function lastSignatureParts(bytes: Uint8Array): { content: Buffer; der: Buffer } {
  const buffer = Buffer.from(bytes);
  const text = buffer.toString("latin1");
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const [a, b, c, d] = ranges[ranges.length - 1].slice(1).map(Number);
  const hex = text.slice(a + b + 1, c - 1);
  return { content: Buffer.concat([buffer.subarray(a, a + b), buffer.subarray(c, c + d)]), der: Buffer.from(hex, "hex") };
}

export function opensslCmsVerify(bytes: Uint8Array, caPem: string): { ok: boolean; output: string } {
  requireTool("openssl");
  const dir = tempDir();
  const { content, der } = lastSignatureParts(bytes);
  // Trailing zero padding of /Contents is not part of the DER.
  const length = derLength(der);
  writeFileSync(join(dir, "content.bin"), content);
  writeFileSync(join(dir, "sig.der"), der.subarray(0, length));
  writeFileSync(join(dir, "ca.pem"), caPem);
  const result = spawnSync(
    "openssl",
    ["cms", "-verify", "-binary", "-inform", "DER", "-in", join(dir, "sig.der"), "-content", join(dir, "content.bin"),
      "-CAfile", join(dir, "ca.pem"), "-purpose", "any", "-out", "/dev/null"],
    { encoding: "utf8" },
  );
  return { ok: result.status === 0 && /Verification successful/.test(result.stderr), output: result.stderr };
}

function derLength(der: Buffer): number {
  if (der[1] < 0x80) return 2 + der[1];
  const n = der[1] & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i];
  return 2 + n + len;
}

export function sampleManifest(originalSha256: string) {
  const drawn =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  return {
    documentName: "Contrato de empreitada nº 12/2024 — Residencial Açaí",
    envelopeId: "env_test_0001",
    originalSha256,
    verifyUrl: "https://obrasign.example.com.br/verify/env_test_0001",
    locale: "pt-BR" as const,
    recipients: [
      {
        name: "João da Silva", email: "joao@example.com.br", cpf: "12345678909", action: "sign" as const,
        actedAt: new Date("2024-05-10T14:03:07Z"), ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0",
        method: "e-mail code", signature: { type: "typed" as const, value: "João da Silva" },
      },
      {
        name: "Maria Souza", email: "maria@example.com.br", action: "witness" as const,
        actedAt: new Date("2024-05-10T15:00:00Z"), ip: "2001:db8::1", userAgent: "Mozilla/5.0 (iPhone) Safari/605.1",
        method: "e-mail code", signature: { type: "drawn" as const, value: drawn },
      },
    ],
  };
}
