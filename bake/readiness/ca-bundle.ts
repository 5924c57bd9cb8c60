import { X509Certificate } from 'node:crypto';

/** The files Go's crypto/x509 reads on Linux, first readable one wins (root_linux.go). */
export const GO_CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/** Counts the certificates of a PEM bundle that really parse (not just BEGIN lines). */
export function countPemCertificates(pem: string): { parsed: number; unparsable: number } {
  const { fingerprints, unparsable } = pemCertificates(pem);
  return { parsed: fingerprints.length, unparsable };
}

/** The sha256 (lowercase hex, of the DER) of every certificate of a PEM bundle that parses. */
export function pemCertificates(pem: string): { fingerprints: string[]; unparsable: number } {
  const fingerprints: string[] = [];
  let unparsable = 0;
  for (const block of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) {
    try {
      fingerprints.push(new X509Certificate(block).fingerprint256.replace(/:/g, '').toLowerCase());
    } catch {
      unparsable++;
    }
  }
  return { fingerprints, unparsable };
}

/** A certificate's DER bytes in base64, from its PEM (what the probe's `trusts` mode takes). */
export function derBase64(pem: string): string {
  return new X509Certificate(pem).raw.toString('base64');
}
