import { X509Certificate } from 'node:crypto';
import { type RecipeProblem, shownValue } from './recipe-errors';
import { readRecipesDirFile } from './recipes-dir-file';
import type { CaCertificate, Recipe } from './types';

/** A CA file holds a handful of certificates; anything much larger is a mistake. */
export const MAX_CA_FILE_BYTES = 64 * 1024;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/**
 * The site's CA certificates a recipe lists (`ca.extra`), read from the recipes directory (no
 * symbolic links, no escape) and validated: PEM CERTIFICATE blocks only (a private key in the
 * file is refused, never echoed), each one a CA certificate that parses. Each becomes part of
 * the recipe, so its bytes are an input of the plan: a new CA rebuilds the images.
 */
export async function resolveSiteCa(recipe: Recipe, recipesDir: string, problems: RecipeProblem[]): Promise<Recipe> {
  const files = recipe.ca?.extra ?? [];
  if (files.length === 0) return recipe;
  const certificates: CaCertificate[] = [];
  for (const [i, file] of files.entries()) {
    const at = `ca.extra.${i}`;
    const content = await readRecipesDirFile(recipesDir, file, {
      maxBytes: MAX_CA_FILE_BYTES,
      what: 'a CA certificate file',
    }).catch((err: Error) => {
      problems.push({ file: recipe.file, path: at, message: `${shownValue(file)} ${err.message}` });
      return undefined;
    });
    if (!content) continue;
    const parsed = parseCaFile(file, content.toString('utf8'));
    problems.push(...parsed.problems.map((message) => ({ file: recipe.file, path: at, message })));
    for (const c of parsed.certificates)
      if (!certificates.some((known) => known.sha256 === c.sha256)) certificates.push(c);
  }
  return certificates.length ? { ...recipe, caCertificates: certificates } : recipe;
}

/** The CA certificates of one PEM file, or why it cannot be trusted as one. */
export function parseCaFile(file: string, text: string): { certificates: CaCertificate[]; problems: string[] } {
  const problems: string[] = [];
  const certificates: CaCertificate[] = [];
  const shown = shownValue(file);
  let index = 0;
  for (const block of text.matchAll(PEM_BLOCK)) {
    const type = block[1];
    if (type !== 'CERTIFICATE') {
      problems.push(
        /PRIVATE KEY/.test(type)
          ? `${shown} holds a private key (${type}); a CA file holds certificates only (remove the key and rotate it)`
          : `${shown} holds a ${shownValue(type)} block; a CA file holds CERTIFICATE blocks only`,
      );
      continue;
    }
    index++;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block[0]);
    } catch (err) {
      problems.push(`${shown}: certificate ${index} does not parse (${(err as Error).message})`);
      continue;
    }
    if (!cert.ca) {
      problems.push(
        `${shown}: certificate ${index} (${shownValue(subjectLine(cert))}) is not a CA certificate ` +
          '(basicConstraints CA:TRUE); list the CA that signed it',
      );
      continue;
    }
    certificates.push({
      file,
      subject: subjectLine(cert),
      sha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
      pem: pemOf(cert.raw),
    });
  }
  if (index === 0 && problems.length === 0) problems.push(`${shown} holds no PEM certificate (BEGIN CERTIFICATE)`);
  return { certificates, problems };
}

/** `CN=Corp Root CA, O=Corp`: the subject on one line, as messages and the plan show it. */
function subjectLine(cert: X509Certificate): string {
  return cert.subject.split('\n').reverse().join(', ');
}

/** The certificate re-encoded from its DER bytes: one canonical PEM whatever the file's layout. */
export function pemOf(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----', ''].join('\n');
}
