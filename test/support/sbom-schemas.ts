import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// The official schemas, committed (nothing is downloaded at test time): test/fixtures/schemas/README.md.
const SCHEMAS = join(__dirname, '..', 'fixtures', 'schemas');
const schema = (file: string) => JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;

/** Validators of CycloneDX 1.6 and SPDX 2.3 JSON against their official schemas. */
export function sbomValidators(): { cyclonedx: ValidateFunction; spdx: ValidateFunction } {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Draft 2019 formats ajv-formats lacks; bake writes neither an email nor a non-ASCII IRI.
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  // bom-1.6 names its neighbours relative to its own $id.
  for (const file of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'])
    ajv.addSchema({ ...schema(file), $id: `http://cyclonedx.org/schema/${file}` });
  return {
    cyclonedx: ajv.compile(schema('bom-1.6.SNAPSHOT.schema.json')),
    spdx: ajv.compile(schema('spdx-2.3.schema.json')),
  };
}
