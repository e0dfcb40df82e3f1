export { sha256Hex, verifyPdf, type SignatureReport, type VerifyOptions, type Verdict, type VerifyResult } from "./verify.js";
