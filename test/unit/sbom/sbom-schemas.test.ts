import { renderSbom } from '../../../bake/sbom/image-sbom';
import { readImageContents } from '../../../bake/sbom/read-image-contents';
import type { ImageContents } from '../../../bake/sbom/types';
import { sbomValidators } from '../../support/sbom-schemas';
import { dockerSaveExport } from './image-export-fixture';
import { debianImageLayers, IMAGE } from './sbom-fixture';

const TOOL = { name: 'bake', version: '0.1.0' };
let contents: ImageContents;
const v = sbomValidators();

beforeAll(async () => {
  contents = await readImageContents(await dockerSaveExport(debianImageLayers()), {
    ...IMAGE,
    // As when publishing: the registry names the image.
  });
  contents = {
    ...contents,
    image: {
      ...contents.image,
      repository: '127.0.0.1:5000/golden/debian12-go',
      manifestDigest: `sha256:${'b'.repeat(64)}`,
    },
  };
});

describe('CycloneDX 1.6', () => {
  test('is valid against the official schema and lists packages, Go and modules with purls', () => {
    const doc = JSON.parse(renderSbom(contents, 'cyclonedx', TOOL)) as {
      specVersion: string;
      metadata: { component: { purl: string; version: string } };
      components: {
        name: string;
        version?: string;
        purl?: string;
        licenses?: unknown[];
        hashes?: { content: string }[];
      }[];
      dependencies: { ref: string; dependsOn?: string[] }[];
    };
    const valid = v.cyclonedx(doc);
    expect(v.cyclonedx.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(doc.specVersion).toBe('1.6');
    expect(doc.metadata.component.version).toBe(`sha256:${'b'.repeat(64)}`);
    expect(doc.metadata.component.purl).toBe(
      `pkg:oci/debian12-go@sha256:${'b'.repeat(64)}?arch=amd64&repository_url=127.0.0.1%3A5000%2Fgolden%2Fdebian12-go`,
    );
    const byName = (n: string) => doc.components.find((c) => c.name === n);
    expect(byName('git')).toMatchObject({
      version: '1:2.39.5-0+deb12u3',
      purl: 'pkg:deb/debian/git@1:2.39.5-0+deb12u3?arch=amd64&distro=debian-12',
      licenses: [{ license: { id: 'GPL-2.0-only' } }, { license: { id: 'LGPL-2.1-or-later' } }],
    });
    expect(byName('ca-certificates')?.licenses).toEqual([{ license: { name: 'GPL-2+ or MPL-2.0' } }]);
    expect(byName('go')).toMatchObject({ version: '1.27.4', hashes: [{ content: 'a'.repeat(64) }] });
    expect(byName('golang.org/x/mod')?.purl).toBe('pkg:golang/golang.org/x/mod@v0.21.0');
    expect(byName('stdlib')?.purl).toBe('pkg:golang/stdlib@1.27.4');
    const tool = doc.dependencies.find((d) => d.ref === 'file:/usr/local/bin/tool');
    expect(tool?.dependsOn).toEqual(
      expect.arrayContaining(['pkg:golang/golang.org/x/mod@v0.21.0', 'pkg:golang/stdlib@1.27.4']),
    );
  });

  test('the same image gives the same bytes (serial number and time come from the image)', () => {
    expect(renderSbom(contents, 'cyclonedx', TOOL)).toBe(renderSbom(contents, 'cyclonedx', TOOL));
  });

  test('the schema check is real: a document without bomFormat fails it', () => {
    const doc = JSON.parse(renderSbom(contents, 'cyclonedx', TOOL)) as Record<string, unknown>;
    delete doc.bomFormat;
    expect(v.cyclonedx(doc)).toBe(false);
  });
});

describe('SPDX 2.3', () => {
  test('is valid against the official schema; unknown licenses become LicenseRefs with their text', () => {
    const doc = JSON.parse(renderSbom(contents, 'spdx', TOOL)) as {
      packages: { name: string; versionInfo?: string; licenseDeclared: string; checksums?: unknown[] }[];
      relationships: { relationshipType: string }[];
      hasExtractedLicensingInfos: { licenseId: string; name: string }[];
    };
    const valid = v.spdx(doc);
    expect(v.spdx.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const byName = (n: string) => doc.packages.find((p) => p.name === n);
    expect(byName('git')).toMatchObject({
      versionInfo: '1:2.39.5-0+deb12u3',
      licenseDeclared: 'GPL-2.0-only AND LGPL-2.1-or-later',
    });
    expect(byName('tzdata')?.licenseDeclared).toBe('LicenseRef-public-domain');
    expect(byName('base-files')?.licenseDeclared).toBe('NOASSERTION');
    expect(byName('go')?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: 'a'.repeat(64) }]);
    expect(doc.hasExtractedLicensingInfos).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ licenseId: 'LicenseRef-public-domain', name: 'public-domain' }),
      ]),
    );
    expect(doc.relationships.filter((r) => r.relationshipType === 'DESCRIBES')).toHaveLength(1);
  });

  test('the schema check is real: a package without SPDXID fails it', () => {
    const doc = JSON.parse(renderSbom(contents, 'spdx', TOOL)) as { packages: Record<string, unknown>[] };
    delete doc.packages[1].SPDXID;
    expect(v.spdx(doc)).toBe(false);
  });
});
