/**
 * The RFC 3161 messages the HTTP adapter exchanges: TimeStampReq out,
 * TimeStampResp in. The response is checked against the request (status
 * granted, same message imprint, same nonce) before its token is used; the
 * token itself is returned as its original bytes, never re-encoded.
 */
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

const SHA256 = "2.16.840.1.101.3.4.2.1";
const TST_INFO = "1.2.840.113549.1.9.16.1.4";

export interface TimestampRequest {
  der: Uint8Array;
  nonce: Uint8Array;
}

export function timestampRequest(digest: Uint8Array): TimestampRequest {
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0]! & 0x7f) | 0x01; // positive, no leading zero byte
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: digest }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true, // the token carries the TSA's certificate: needed to verify it later
  });
  return { der: new Uint8Array(request.toSchema().toBER()), nonce };
}

/** The TSTInfo inside a token: what time it states and over what digest. */
export function readTstInfo(token: Uint8Array): pkijs.TSTInfo {
  const parsed = asn1js.fromBER(token);
  if (parsed.offset === -1) throw new Error("the token is not DER");
  const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  if (signedData.encapContentInfo.eContentType !== TST_INFO) throw new Error("the token does not hold a TSTInfo");
  const content = signedData.encapContentInfo.eContent;
  if (!content) throw new Error("the token has no content");
  const inner = asn1js.fromBER(content.getValue());
  return new pkijs.TSTInfo({ schema: inner.result });
}

/** The token of a granted response matching `request`; throws with the reason otherwise. */
export function tokenFromResponse(response: Uint8Array, request: TimestampRequest, digest: Uint8Array): Uint8Array {
  const parsed = asn1js.fromBER(response);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) throw new Error("the reply is not a TimeStampResp");
  const resp = new pkijs.TimeStampResp({ schema: parsed.result });
  const status = resp.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const text = resp.status.statusStrings?.map((s) => s.valueBlock.value).join("; ");
    throw new Error(`the TSA refused the request (status ${status}${text ? `: ${text}` : ""})`);
  }
  const tokenNode = parsed.result.valueBlock.value[1];
  if (!tokenNode) throw new Error("the reply carries no token");
  const token = new Uint8Array(tokenNode.valueBeforeDecodeView);
  const info = readTstInfo(token);
  if (!Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(Buffer.from(digest))) throw new Error("the token is over another digest");
  const nonce = info.nonce ? Buffer.from(info.nonce.valueBlock.valueHexView) : null;
  if (!nonce || !nonce.equals(Buffer.from(request.nonce))) throw new Error("the token's nonce does not match the request");
  return token;
}
