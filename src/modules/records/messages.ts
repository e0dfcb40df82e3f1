import { domainLabels } from "../../platform/i18n/domain.js";
import type { Locale } from "../../platform/i18n/index.js";
import { catalogue, fill, locales, type Text } from "../../platform/i18n/text.js";

/** What the records commands refuse, in the reader's language. */
export const recordRefusals = catalogue(
  {
    cannotMove: "Não é possível passar {kind} de “{from}” para “{to}” ({allowed}).",
    allowedFrom: "de “{from}” pode ir para: {list}",
    finalStatus: "“{from}” é uma situação final",
    changedMeanwhile: "Não é possível passar {kind} de “{from}” para “{to}”: foi alterado ao mesmo tempo, recarregue a página.",
  },
  {
    cannotMove: "Cannot move {kind} from {from} to {to} ({allowed})",
    allowedFrom: "from {from}: {list}",
    finalStatus: "{from} is final",
    changedMeanwhile: "Cannot move {kind} from {from} to {to}: it was changed at the same time, read it again",
  },
);

type Key = keyof typeof recordRefusals.en;

/** A refused move, the kind with its article and every status by its label in each language. */
export function moveRefusal(key: Exclude<Key, "allowedFrom" | "finalStatus">, kind: string, from: string, to: string, allowed: readonly string[] = []): Text {
  const say = (locale: Locale) => {
    const words = domainLabels[locale];
    const templates = locale === "en" ? recordRefusals.en : recordRefusals.ptBR;
    const label = (status: string) => words.recordStatuses[status] ?? status;
    const values = { kind: words.recordKindsInSentence[kind] ?? kind, from: label(from), to: label(to) };
    const allowedText = allowed.length ? fill(templates.allowedFrom, { ...values, list: allowed.map(label).join(", ") }) : fill(templates.finalStatus, values);
    return fill(templates[key], { ...values, allowed: allowedText });
  };
  return Object.fromEntries(locales.map((l) => [l, say(l)])) as unknown as Text;
}
