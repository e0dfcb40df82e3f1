export { sha256Hex, verifyPdf, type SignatureReport, type VerifyOptions, type VerifyResult } from "./verify.js";
