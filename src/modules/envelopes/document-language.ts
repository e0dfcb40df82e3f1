import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import type { Locale } from "../../platform/i18n/index.js";
import { readSetting, writeSetting } from "../../platform/settings.js";

/**
 * The language an envelope's documents are written in (report, manifest,
 * recipients' mails): chosen per envelope, else the project's default, else
 * Portuguese — never the sender's screen language, which says nothing about
 * who reads the contract.
 */
export const documentLanguages = ["pt-BR", "en"] as const satisfies readonly Locale[];
export type DocumentLanguage = (typeof documentLanguages)[number];
export const defaultDocumentLanguage: DocumentLanguage = "pt-BR";

export const isDocumentLanguage = (value: unknown): value is DocumentLanguage => (documentLanguages as readonly unknown[]).includes(value);

/** The project's default is one key of the installation settings (the projects table belongs to records). */
const projectKey = (projectId: string) => `envelopes.document-language.${projectId}`;

export async function projectDocumentLanguage(db: Db | Tx, projectId: string): Promise<DocumentLanguage> {
  const stored = await readSetting(db, projectKey(projectId));
  return isDocumentLanguage(stored) ? stored : defaultDocumentLanguage;
}

export async function setProjectDocumentLanguage(db: Db | Tx, projectId: string, language: DocumentLanguage, at: Date): Promise<void> {
  await writeSetting(db, projectKey(projectId), language, at);
}
