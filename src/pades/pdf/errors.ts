/**
 * What a user reads when a PDF is refused, in Portuguese and English: the
 * upload form, /verify and the API all show these words.
 */
import { AppError } from "../../platform/errors.js";
import { PdfLimitError, type PdfLimitName } from "./limits.js";

const limitWords: Record<PdfLimitName, { "pt-BR": string; en: string }> = {
  maxObjects: { "pt-BR": "número de objetos", en: "number of objects" },
  maxXrefSections: { "pt-BR": "número de seções de referência cruzada", en: "number of cross-reference sections" },
  maxXrefFieldWidth: { "pt-BR": "largura dos campos da tabela de referência cruzada", en: "cross-reference field width" },
  maxNestingDepth: { "pt-BR": "profundidade de aninhamento", en: "nesting depth" },
  maxInflatedBytesPerStream: { "pt-BR": "tamanho descompactado de um fluxo", en: "decompressed size of one stream" },
  maxInflatedBytesTotal: { "pt-BR": "tamanho descompactado total", en: "total decompressed size" },
  maxParsedObjects: { "pt-BR": "número de objetos lidos", en: "number of objects read" },
  maxPages: { "pt-BR": "número de páginas", en: "number of pages" },
  maxFormFields: { "pt-BR": "número de campos de formulário", en: "number of form fields" },
  maxSignatureFields: { "pt-BR": "número de campos de assinatura", en: "number of signature fields" },
  timeBudgetMs: { "pt-BR": "tempo de leitura (ms)", en: "reading time (ms)" },
};

export function pdfLimitExceeded(error: PdfLimitError): AppError {
  const words = limitWords[error.limit];
  return new AppError(
    "unprocessable",
    `The PDF exceeds the ${words.en} limit (${error.limit} = ${error.value}); it cannot be read safely.`,
    { file: `exceeds the limit ${error.limit}` },
    { "pt-BR": `O PDF excede o limite de ${words["pt-BR"]} (${error.limit} = ${error.value}) e não pode ser lido com segurança.` },
  );
}

export const pdfDamaged = (reason: string): AppError =>
  new AppError(
    "unprocessable",
    `The PDF is damaged and cannot be signed (${reason}); re-export it from the original application.`,
    undefined,
    { "pt-BR": `O PDF está danificado e não pode ser assinado (${reason}); exporte-o novamente do programa de origem.` },
  );

export const notAPdf = (): AppError =>
  new AppError("unsupported_media_type", "The file is not a PDF (no %PDF header).", undefined, {
    "pt-BR": "O arquivo não é um PDF (falta o cabeçalho %PDF).",
  });

export const pdfEncrypted = (): AppError =>
  new AppError("unprocessable", "The PDF is encrypted or password-protected; upload an unprotected copy.", undefined, {
    "pt-BR": "O PDF está criptografado ou protegido por senha; envie uma cópia sem proteção.",
  });

export const pdfCertifiedNoChanges = (): AppError =>
  new AppError(
    "unprocessable",
    "The PDF is certified with no changes allowed (DocMDP P=1): it cannot receive signatures; upload it before certification.",
    { file: "certified document: no changes allowed" },
    { "pt-BR": "Documento certificado não admite alterações (DocMDP P=1): não pode receber assinaturas; envie a versão anterior à certificação." },
  );

export const pdfActiveContent = (what: string): AppError =>
  new AppError(
    "unprocessable",
    `The PDF contains active content (${what}); remove it (print to PDF or re-export without scripts) and upload it again.`,
    { file: `contains active content (${what})` },
    { "pt-BR": `O PDF contém conteúdo ativo (${what}); remova-o (imprima em PDF ou exporte sem scripts) e envie novamente.` },
  );

/** Any failure while reading a PDF, as the AppError a user should see. */
export function asPdfError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof PdfLimitError) return pdfLimitExceeded(error);
  // A stack overflow deep in a parser is a nesting bomb we did not count.
  if (error instanceof RangeError && /call stack/i.test(error.message)) return pdfLimitExceeded(new PdfLimitError("maxNestingDepth", 0));
  return pdfDamaged(error instanceof Error ? error.message : String(error));
}
