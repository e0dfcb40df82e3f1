import assert from "node:assert/strict";
import { test } from "node:test";
import { messages } from "../../../src/platform/i18n/index.js";
import { domainLabels } from "../../../src/platform/i18n/domain.js";
import { phrases, translatePhrase } from "../../../src/platform/i18n/phrases.js";
import { httpMessages } from "../../../src/platform/http/errors.js";
import { fileRefusals } from "../../../src/modules/envelopes/files.js";
import { recordRefusals } from "../../../src/modules/records/messages.js";
import { signingErrors, signingMessages } from "../../../src/modules/providers/embedded/messages.js";
import { webMessages } from "../../../src/modules/web/messages.js";
import { monitorMessages } from "../../../src/modules/monitor/messages.js";
import { signatureMessages } from "../../../src/modules/signature-settings/messages.js";
import { projectSettingsMessages } from "../../../src/modules/signature-rules/messages.js";
import { verifyMessages } from "../../../src/modules/verify/messages.js";
import { labels } from "../../../src/modules/reports/labels.js";
import { sealPageMessages } from "../../../src/modules/seal/messages.js";
import { throttleMessages } from "../../../src/platform/throttle/messages.js";
import { authMessages } from "../../../src/modules/auth/messages.js";

/** Every catalogue a person reads, as [name, pt-BR, English]. */
const catalogues: [string, unknown, unknown][] = [
  ["platform", messages("pt-BR"), messages("en")],
  ["domain", domainLabels["pt-BR"], domainLabels.en],
  ["http errors", httpMessages.ptBR, httpMessages.en],
  ["file refusals", fileRefusals.ptBR, fileRefusals.en],
  ["record refusals", recordRefusals.ptBR, recordRefusals.en],
  ["signing errors", signingErrors.ptBR, signingErrors.en],
  ["signing page", signingMessages("pt-BR"), signingMessages("en")],
  ["web pages", webMessages("pt-BR"), webMessages("en")],
  ["monitor", monitorMessages("pt-BR"), monitorMessages("en")],
  ["signature settings", signatureMessages("pt-BR"), signatureMessages("en")],
  ["project settings", projectSettingsMessages("pt-BR"), projectSettingsMessages("en")],
  ["verify", verifyMessages("pt-BR"), verifyMessages("en")],
  ["reports", labels["pt-BR"], labels.en],
  ["seal page", sealPageMessages("pt-BR"), sealPageMessages("en")],
  ["throttles", throttleMessages.ptBR, throttleMessages.en],
  ["users and accounts", authMessages("pt-BR"), authMessages("en")],
];

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Walks both trees together: every key in both, every leaf a non-empty text with the same placeholders. */
function walk(name: string, path: string, pt: unknown, en: unknown, problems: string[]) {
  if (typeof pt === "function" || typeof en === "function") return;
  if (typeof pt === "string" || typeof en === "string") {
    if (typeof pt !== "string" || !pt.trim()) problems.push(`${name}: ${path} has no pt-BR text`);
    else if (typeof en !== "string" || !en.trim()) problems.push(`${name}: ${path} has no English text`);
    else if (placeholders(pt).join() !== placeholders(en).join()) problems.push(`${name}: ${path} fills {${placeholders(pt)}} in pt-BR but {${placeholders(en)}} in English`);
    return;
  }
  if (pt && typeof pt === "object" && en && typeof en === "object") {
    const keys = new Set([...Object.keys(pt), ...Object.keys(en)]);
    for (const key of keys) walk(name, path ? `${path}.${key}` : key, (pt as Record<string, unknown>)[key], (en as Record<string, unknown>)[key], problems);
    return;
  }
  if (pt !== en) problems.push(`${name}: ${path} differs in kind between languages`);
}

test("every message key exists in pt-BR and English, with the same placeholders", () => {
  const problems: string[] = [];
  for (const [name, pt, en] of catalogues) walk(name, "", pt, en, problems);
  assert.deepEqual(problems, []);
});

test("every validation phrase has a Portuguese text with the same placeholders", () => {
  for (const [en, pt] of Object.entries(phrases)) {
    assert.ok(pt.trim() && pt !== en, `phrase "${en}" has no Portuguese text`);
    assert.deepEqual(placeholders(pt), placeholders(en), `phrase "${en}"`);
  }
});

test("phrases are translated whole, with their inner phrases and values", () => {
  assert.equal(translatePhrase("is required", "pt-BR"), "é obrigatório");
  assert.equal(translatePhrase("is required", "en"), "is required");
  assert.equal(translatePhrase("must be one of admin, manager", "pt-BR"), "deve ser um destes: admin, manager");
  assert.equal(translatePhrase("every item is required", "pt-BR"), "cada item é obrigatório");
  assert.equal(translatePhrase("something nobody wrote down", "pt-BR"), "something nobody wrote down");
});
