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
  let parsed = 0;
  let unparsable = 0;
  for (const block of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) {
    try {
      new X509Certificate(block);
      parsed++;
    } catch {
      unparsable++;
    }
  }
  return { parsed, unparsable };
}
