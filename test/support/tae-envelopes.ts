import assert from "node:assert/strict";
import { systemActor, type AppContext } from "../../src/platform/context.js";
import { updateSignatureSettings } from "../../src/modules/signature-settings/index.js";
import type { TaeEmulator } from "../tae-emulator/index.js";
import { makeContract } from "./factories.js";
import type { Harness } from "./harness.js";
import { samplePdf } from "./pdfs.js";

/** Global settings: TOTVS Sign at `url` (the emulator, or a proxy in front of it), with the emulator's service user. */
export async function pointAtEmulator(ctx: AppContext, url: string, tae: TaeEmulator) {
  await updateSignatureSettings(ctx, systemActor, {
    provider: "totvs-sign",
    totvsSign: { authUrl: `${url}/identityintegration`, apiUrl: url, webLoginUrl: `${url}/webapptotvssign/#/auth/login?external=true`, serviceUser: tae.serviceUser.email, servicePassword: tae.serviceUser.password },
  });
}

let seq = 0;

/** `count` envelopes sent to TOTVS Sign (the settings must point at the emulator), each with a signer and a validator. */
export async function sendTaeEnvelopes(h: Harness, count: number, options: { name?: string; recordId?: string } = {}) {
  const recordId = options.recordId ?? (await makeContract(h)).id;
  const pdf = await samplePdf();
  const made: { id: string; signer: string; validator: string }[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++seq;
    const signer = `signer.${n}@example.com`;
    const validator = `validator.${n}@example.com`;
    const res = await h.upload("/api/envelopes", [
      {
        name: "envelope",
        value: JSON.stringify({
          process: "contract", recordId, name: options.name ? `${options.name} ${n}` : `Contrato ${n}`,
          recipients: [{ name: "Sônia Signatária", email: signer, action: "sign" }, { name: "Valter Validador", email: validator, action: "validate" }],
        }),
      },
      { name: "file", filename: "contrato.pdf", bytes: pdf },
    ], "manager");
    assert.equal(res.status, 201, JSON.stringify(res.body));
    made.push({ id: res.body.id, signer, validator });
  }
  await h.drain();
  const rows = await h.runtime.ctx.db.selectFrom("envelopes").select(["id", "status", "provider_ref"]).where("id", "in", made.map((m) => m.id)).execute();
  for (const row of rows) assert.equal(row.status, "pending", `envelope ${row.id} was sent`);
  return made.map((m) => ({ ...m, ref: Number(rows.find((r) => r.id === m.id)!.provider_ref) }));
}
