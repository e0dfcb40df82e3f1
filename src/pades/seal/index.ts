export { addDocumentTimestamp, sealPdf, sealPdfAppendix, sealPdfWithTimestamp, TIMESTAMP_TOKEN_RESERVE, type SealOptions, type Timestamper } from "./seal.js";
export {
  createInstallationCa,
  createSealCertificate,
  loadPkcs12,
  type CertifiedKey,
  type IdentityOptions,
  type Pkcs12Contents,
  type SealIdentity,
} from "./identity.js";
