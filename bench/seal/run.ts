/**
 * Seal benchmark: ms per seal (median) at 1 MB and 10 MB for
 *   floor    — SHA-256 of the file + one RSA-2048 signature (node:crypto)
 *   obrasign — sealPdf (targeted parse, incremental update, streamed hash)
 *   baseline — full re-save with pdf-lib + @signpdf/placeholder-plain + @signpdf/signpdf
 * The baseline's signer uses the same CMS builder and node:crypto, so the
 * ratio isolates the PDF handling. Target: obrasign within 2× of the floor.
 * Run: npx tsx bench/seal/run.ts
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { performance } from "node:perf_hooks";
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState } from "pdf-lib";
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { SignPdf } from "@signpdf/signpdf";
import { Signer } from "@signpdf/utils";
import { buildCadesDetached } from "../../src/pades/seal/cms.js";
import { createInstallationCa, createSealCertificate } from "../../src/pades/seal/identity.js";
import { sealPdf, sealPdfAppendix } from "../../src/pades/seal/seal.js";
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";

/** A PDF of about `megabytes` MB: pages each showing an incompressible random image. */
async function buildPdf(megabytes: number, useObjectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const pages = Math.max(4, megabytes * 4);
  const side = Math.floor(Math.sqrt((megabytes * 1024 * 1024) / pages / 3));
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    const image = doc.context.stream(randomBytes(side * side * 3), {
      Type: "XObject", Subtype: "Image", Width: side, Height: side, ColorSpace: "DeviceRGB", BitsPerComponent: 8,
    });
    const ref = doc.context.register(image);
    const name = page.node.newXObject("Im", ref);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(500, 0, 0, 500, 40, 200), drawObject(name), popGraphicsState());
  }
  return doc.save({ useObjectStreams });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up: JIT, lazy module state
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

class CmsSigner extends Signer {
  constructor(private readonly key: KeyObject, private readonly chain: Uint8Array[]) {
    super();
  }
  async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const digest = createHash("sha256").update(pdfBuffer).digest();
    return Buffer.from(buildCadesDetached({ digest, privateKey: this.key, chain: this.chain }));
  }
}

const ca = await createInstallationCa({ installationName: "Bench", modulusLength: 2048 });
const seal = await createSealCertificate(ca, { modulusLength: 2048 });
const key = createPrivateKey(seal.privateKeyPem);
const chain = seal.chainPem.map((pem) => new X509Certificate(pem).raw);
const floorKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

console.log("obrasign = sealPdf (returns the whole sealed file); appendix = sealPdfAppendix (returns only the bytes to append)\n");
console.log("size    xref     floor ms  obrasign ms  appendix ms  baseline ms  obrasign/floor  appendix/floor  baseline/floor");
for (const megabytes of [1, 10]) {
  for (const useObjectStreams of [false, true]) {
    const pdf = await buildPdf(megabytes, useObjectStreams);
    const runs = megabytes >= 10 ? 15 : 31;
    const floor = await time(runs, () => sign("sha256", createHash("sha256").update(pdf).digest(), floorKey));
    const ours = await time(runs, () => sealPdf(pdf, { privateKey: key, certificateChain: chain }));
    const appendix = await time(runs, () => sealPdfAppendix(pdf, { privateKey: key, certificateChain: chain }));
    const baseline = await time(Math.min(runs, 5), async () => {
      const resaved = await (await PDFDocument.load(pdf)).save({ useObjectStreams: false });
      const withPlaceholder = plainAddPlaceholder({
        pdfBuffer: Buffer.from(resaved), reason: "bench", contactInfo: "", name: "bench", location: "", signatureLength: 8192,
      });
      return new SignPdf().sign(withPlaceholder, new CmsSigner(key, chain));
    });
    const size = `${(pdf.length / 1024 / 1024).toFixed(1)} MB`.padEnd(8);
    const kind = (useObjectStreams ? "stream" : "table").padEnd(7);
    console.log(
      `${size}${kind}  ${floor.toFixed(1).padStart(8)}  ${ours.toFixed(1).padStart(11)}  ${appendix.toFixed(1).padStart(11)}` +
        `  ${baseline.toFixed(1).padStart(11)}  ${(ours / floor).toFixed(2).padStart(14)}  ${(appendix / floor).toFixed(2).padStart(14)}` +
        `  ${(baseline / floor).toFixed(2).padStart(14)}`,
    );
  }
}
