export { sealPdf, sealPdfAppendix, type SealOptions } from "./seal.js";
export {
  createInstallationCa,
  createSealCertificate,
  loadPkcs12,
  type CertifiedKey,
  type IdentityOptions,
  type Pkcs12Contents,
  type SealIdentity,
} from "./identity.js";
