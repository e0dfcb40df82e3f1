export { inspectPdf, type PdfInspection } from "./inspect.js";
export { appendManifest, type Manifest, type ManifestRecipient } from "./manifest.js";
export type { ManifestLocale, RecipientAction } from "./manifest-text.js";
