import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

/** The http(s) URLs of a certificate's CRL distribution points. */
export function crlUrlsOf(certDer: Uint8Array): string[] {
  const cert = new x509.X509Certificate(new Uint8Array(certDer));
  const ext = cert.getExtension(x509.CRLDistributionPointsExtension);
  return (ext?.distributionPoints ?? []).flatMap((p) =>
    (p.distributionPoint?.fullName ?? []).flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [])),
  );
}

/** The certificates a time-stamp token carries (DER, as embedded). */
export function tokenCertificates(token: Uint8Array): Uint8Array[] {
  const contentInfo = new pkijs.ContentInfo({ schema: asn1js.fromBER(new Uint8Array(token)).result });
  const signedData = contentInfo.content as asn1js.Sequence;
  const tagged = signedData.valueBlock.value.find((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  return (tagged?.valueBlock.value ?? []).map((item) => new Uint8Array(item.valueBeforeDecodeView));
}
