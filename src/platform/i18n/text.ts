import type { Locale } from "./index.js";

/** A message a person reads, written once per language; the reader's locale picks one when it is shown. */
export type Text = Readonly<Record<Locale, string>>;

export const locales: readonly Locale[] = ["pt-BR", "en"];

/** Replaces {name} placeholders; an unknown placeholder is left as written, so a missing value shows. */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in values ? String(values[k]) : `{${k}}`));
}

/**
 * A module's catalogue of messages: the same keys in pt-BR and English (the
 * compiler refuses a key missing from one). `say(key, values)` gives the
 * message in both languages, to be shown in the reader's.
 */
export function catalogue<K extends string>(ptBR: Record<K, string>, en: Record<K, string>) {
  const say = (key: K, values: Record<string, string | number> = {}): Text => ({ "pt-BR": fill(ptBR[key], values), en: fill(en[key], values) });
  return Object.assign(say, { ptBR, en });
}

export type Catalogue = { ptBR: Record<string, string>; en: Record<string, string> };

export const isText = (value: unknown): value is Text =>
  typeof value === "object" && value !== null && typeof (value as Text)["pt-BR"] === "string" && typeof (value as Text).en === "string";

/** Joins texts language by language, e.g. a file name and the reason it was refused. */
export function joinText(parts: ReadonlyArray<string | Text>, separator = ": "): Text {
  const pick = (locale: Locale) => parts.map((p) => (typeof p === "string" ? p : p[locale])).join(separator);
  return { "pt-BR": pick("pt-BR"), en: pick("en") };
}

export const textIn = (value: string | Text, locale: Locale): string => (typeof value === "string" ? value : value[locale]);
