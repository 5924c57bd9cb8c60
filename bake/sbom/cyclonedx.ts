import * as CDX from '@cyclonedx/cyclonedx-library';
import { sha256Hex } from '../common/sha256';
import { spdxIdOf } from './license-ids';
import { goDistributionPurl, goModulePurl, imagePurl, officialGoUrl, osPackagePurl } from './purls';
import type { GoModule, ImageContents, SbomTool } from './types';

const { Component, Property, ExternalReference, SpdxLicense, NamedLicense } = CDX.Models;
const { ComponentType, HashAlgorithm, ExternalReferenceType } = CDX.Enums;

/**
 * A CycloneDX 1.6 JSON document of an image: the image as the BOM's subject, the operating
 * system, every installed package (purl, licenses), the Go distribution (its archive's
 * sha256), every Go binary and the modules and standard library it was linked with, and
 * which depends on which. The same contents always give the same bytes: the serial number
 * and timestamp come from the image, not the clock.
 */
export function cycloneDxJson(contents: ImageContents, tool: SbomTool): string {
  const { image } = contents;
  const bom = new CDX.Models.Bom();
  bom.serialNumber = serialNumber(image.manifestDigest ?? image.id);
  bom.metadata.timestamp = new Date(image.created);
  bom.metadata.tools.components.add(new Component(ComponentType.Application, tool.name, { version: tool.version }));
  const subject = new Component(ComponentType.Container, image.repository ?? image.ref, {
    bomRef: 'image',
    version: image.manifestDigest ?? image.id,
    purl: imagePurl(image),
  });
  subject.properties.add(new Property('bake:image:id', image.id));
  subject.properties.add(new Property('bake:image:platform', `${image.os}/${image.architecture}`));
  for (const [key, value] of Object.entries(image.labels).sort())
    if (key.startsWith('io.bake.') || key.startsWith('org.opencontainers.'))
      subject.properties.add(new Property(`label:${key}`, value));
  for (const note of contents.notes) subject.properties.add(new Property('bake:sbom:incomplete', note));
  bom.metadata.component = subject;

  if (contents.distro) {
    const os = new Component(ComponentType.OperatingSystem, contents.distro.id, {
      bomRef: 'os',
      ...(contents.distro.versionId ? { version: contents.distro.versionId } : {}),
      ...(contents.distro.prettyName ? { description: contents.distro.prettyName } : {}),
    });
    bom.components.add(os);
    subject.dependencies.add(os.bomRef);
  }

  for (const pkg of contents.packages) {
    const purl = osPackagePurl(pkg, contents.distro);
    const component = new Component(ComponentType.Library, pkg.name, { bomRef: purl, version: pkg.version, purl });
    for (const name of pkg.licenses) {
      const id = spdxIdOf(name);
      component.licenses.add(id && CDX.SPDX.isSupportedSpdxId(id) ? new SpdxLicense(id) : new NamedLicense(name));
    }
    component.properties.add(new Property('bake:package:database', pkg.database));
    if (pkg.source) component.properties.add(new Property('bake:package:source', pkg.source));
    bom.components.add(component);
    subject.dependencies.add(component.bomRef);
  }

  if (contents.go) {
    const go = contents.go;
    const component = new Component(ComponentType.Framework, 'go', {
      bomRef: 'go-distribution',
      version: go.version,
      purl: goDistributionPurl(go),
      description: 'the Go distribution (GOROOT)',
    });
    if (go.sha256) component.hashes.set(HashAlgorithm['SHA-256'], go.sha256);
    const url = officialGoUrl(go);
    if (url) component.externalReferences.add(new ExternalReference(url, ExternalReferenceType.Distribution));
    if (go.source) component.properties.add(new Property('bake:go:source', go.source));
    if (go.filename) component.properties.add(new Property('bake:go:archive', go.filename));
    component.properties.add(new Property('bake:go:evidence', go.evidence));
    bom.components.add(component);
    subject.dependencies.add(component.bomRef);
  }

  const modules = new Map<string, InstanceType<typeof Component>>();
  const moduleComponent = (module: GoModule) => {
    const effective = module.replace?.version ? module.replace : module;
    const purl = goModulePurl(effective);
    let component = modules.get(purl);
    if (!component) {
      component = new Component(ComponentType.Library, effective.path, {
        bomRef: purl,
        purl,
        ...(effective.version ? { version: effective.version } : {}),
      });
      if (effective.sum) component.properties.add(new Property('bake:go:sum', effective.sum));
      if (module.replace)
        component.properties.add(new Property('bake:go:replaces', `${module.path}@${module.version}`));
      modules.set(purl, component);
      bom.components.add(component);
    }
    return component;
  };
  for (const binary of contents.goBinaries) {
    const component = new Component(ComponentType.Application, binary.path, {
      bomRef: `file:${binary.path}`,
      ...(binary.main?.version ? { version: binary.main.version } : {}),
    });
    component.hashes.set(HashAlgorithm['SHA-256'], binary.sha256);
    component.properties.add(new Property('bake:go:version', binary.goVersion));
    if (binary.packagePath) component.properties.add(new Property('bake:go:package', binary.packagePath));
    for (const [key, value] of Object.entries(binary.settings).sort())
      component.properties.add(new Property(`bake:go:build:${key}`, value));
    bom.components.add(component);
    subject.dependencies.add(component.bomRef);
    // The standard library, as vulnerability databases name it (pkg:golang/stdlib@1.27.4).
    component.dependencies.add(
      moduleComponent({ path: 'stdlib', version: binary.goVersion.replace(/^go/, '') }).bomRef,
    );
    for (const module of [...(binary.main ? [binary.main] : []), ...binary.deps])
      component.dependencies.add(moduleComponent(module).bomRef);
  }

  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

/** A name-based UUID (version 5 layout) from the image's digest: one image, one serial number. */
function serialNumber(digest: string): string {
  const h = sha256Hex(`bake-sbom:${digest}`).slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `urn:uuid:${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
