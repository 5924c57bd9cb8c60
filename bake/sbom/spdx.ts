import { sha256Hex } from '../common/sha256';
import { spdxIdOf } from './license-ids';
import { goDistributionPurl, goModulePurl, imagePurl, officialGoUrl, osPackagePurl } from './purls';
import type { GoModule, ImageContents, SbomTool } from './types';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: string;
  filesAnalyzed: false;
  primaryPackagePurpose: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY' | 'APPLICATION' | 'FRAMEWORK';
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: string;
  checksums?: { algorithm: 'SHA256'; checksumValue: string }[];
  externalRefs?: { referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }[];
  sourceInfo?: string;
  comment?: string;
}

interface Relationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON';
  relatedSpdxElement: string;
}

const NOASSERTION = 'NOASSERTION';

/**
 * The same contents as the CycloneDX document, as SPDX 2.3 JSON: one package per component,
 * the image CONTAINS the rest, each Go binary DEPENDS_ON its modules. License names without
 * an SPDX identifier become `LicenseRef-` entries that quote the name the package gave.
 */
export function spdxJson(contents: ImageContents, tool: SbomTool): string {
  const { image } = contents;
  const ids = new Set<string>();
  const spdxId = (hint: string) => {
    const base = `SPDXRef-${hint.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '')}`;
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  const extracted = new Map<string, string>();
  const licenseExpression = (names: string[]) => {
    if (names.length === 0) return NOASSERTION;
    return names
      .map((name) => {
        const id = spdxIdOf(name);
        if (id) return id;
        const ref = `LicenseRef-${name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed'}`;
        extracted.set(ref, name);
        return ref;
      })
      .join(' AND ');
  };
  const purlRef = (purl: string) => [
    { referenceCategory: 'PACKAGE-MANAGER' as const, referenceType: 'purl' as const, referenceLocator: purl },
  ];
  const base = { downloadLocation: NOASSERTION, filesAnalyzed: false as const, copyrightText: NOASSERTION };
  const packages: SpdxPackage[] = [];
  const relationships: Relationship[] = [];

  const imageId = spdxId('image');
  packages.push({
    ...base,
    SPDXID: imageId,
    name: image.repository ?? image.ref,
    versionInfo: image.manifestDigest ?? image.id,
    primaryPackagePurpose: 'CONTAINER',
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    externalRefs: purlRef(imagePurl(image)),
    comment: [`image id ${image.id}, ${image.os}/${image.architecture}`, ...contents.notes].join('; '),
  });
  relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId });
  const contains = (id: string) =>
    relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: id });

  if (contents.distro) {
    const id = spdxId(`os-${contents.distro.id}`);
    packages.push({
      ...base,
      SPDXID: id,
      name: contents.distro.id,
      ...(contents.distro.versionId ? { versionInfo: contents.distro.versionId } : {}),
      primaryPackagePurpose: 'OPERATING_SYSTEM',
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
    });
    contains(id);
  }
  for (const pkg of contents.packages) {
    const id = spdxId(`${pkg.manager}-${pkg.name}-${pkg.arch}`);
    packages.push({
      ...base,
      SPDXID: id,
      name: pkg.name,
      versionInfo: pkg.version,
      primaryPackagePurpose: 'LIBRARY',
      licenseConcluded: NOASSERTION,
      licenseDeclared: licenseExpression(pkg.licenses),
      externalRefs: purlRef(osPackagePurl(pkg, contents.distro)),
      ...(pkg.source ? { sourceInfo: `built from the ${pkg.source} source package` } : {}),
    });
    contains(id);
  }
  if (contents.go) {
    const go = contents.go;
    const id = spdxId('go-distribution');
    packages.push({
      ...base,
      SPDXID: id,
      name: 'go',
      versionInfo: go.version,
      downloadLocation: officialGoUrl(go) ?? NOASSERTION,
      primaryPackagePurpose: 'FRAMEWORK',
      licenseConcluded: NOASSERTION,
      licenseDeclared: 'BSD-3-Clause',
      ...(go.sha256 ? { checksums: [{ algorithm: 'SHA256' as const, checksumValue: go.sha256 }] } : {}),
      externalRefs: purlRef(goDistributionPurl(go)),
      comment: `the Go distribution${go.source ? ` (source: ${go.source})` : ''}; found by ${go.evidence}`,
    });
    contains(id);
  }
  const modules = new Map<string, string>();
  const moduleId = (module: GoModule) => {
    const effective = module.replace?.version ? module.replace : module;
    const purl = goModulePurl(effective);
    let id = modules.get(purl);
    if (!id) {
      id = spdxId(`go-${effective.path}-${effective.version}`);
      modules.set(purl, id);
      packages.push({
        ...base,
        SPDXID: id,
        name: effective.path,
        ...(effective.version ? { versionInfo: effective.version } : {}),
        primaryPackagePurpose: 'LIBRARY',
        licenseConcluded: NOASSERTION,
        licenseDeclared: NOASSERTION,
        externalRefs: purlRef(purl),
        ...(module.replace ? { comment: `replaces ${module.path}@${module.version}` } : {}),
      });
      contains(id);
    }
    return id;
  };
  for (const binary of contents.goBinaries) {
    const id = spdxId(`file-${binary.path}`);
    packages.push({
      ...base,
      SPDXID: id,
      name: binary.path,
      ...(binary.main?.version ? { versionInfo: binary.main.version } : {}),
      primaryPackagePurpose: 'APPLICATION',
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      checksums: [{ algorithm: 'SHA256', checksumValue: binary.sha256 }],
      comment: `Go binary (${binary.goVersion}${binary.packagePath ? `, package ${binary.packagePath}` : ''})`,
    });
    contains(id);
    const deps = [
      { path: 'stdlib', version: binary.goVersion.replace(/^go/, '') },
      ...(binary.main ? [binary.main] : []),
      ...binary.deps,
    ];
    for (const module of deps)
      relationships.push({ spdxElementId: id, relationshipType: 'DEPENDS_ON', relatedSpdxElement: moduleId(module) });
  }

  const digest = image.manifestDigest ?? image.id;
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${image.repository ?? image.ref}@${digest}`,
    documentNamespace: `https://bake.dev/spdx/${sha256Hex(`${image.repository ?? image.ref}@${digest}`)}`,
    creationInfo: {
      created: new Date(image.created).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: ${tool.name}-${tool.version}`],
    },
    packages,
    relationships,
    ...(extracted.size
      ? {
          hasExtractedLicensingInfos: [...extracted].map(([licenseId, name]) => ({
            licenseId,
            name,
            extractedText: `The license the package's copyright file names "${name}" (no SPDX identifier).`,
          })),
        }
      : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
