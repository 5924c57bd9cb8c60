import { catalogImage as catalogImageOf, vettedEntry, withAmi, withImage } from '../../../bake/registry/catalog-entry';
import type { ImageResult } from '../../../bake/pipeline/types';
import type { Plan } from '../../../bake/plan/types';
import type { Report } from '../../../bake/readiness/types';
import { fixtureCore, handMadeTarget } from '../render/render-fixtures';
import { catalogAmi, catalogImage, hex64, targetCatalog } from './catalog-fixtures';

describe('withImage', () => {
  test('replaces the record of the same kind and inputs, keeps the others, oldest first', () => {
    const catalog = targetCatalog('debian12-amd64', [
      catalogImage(5),
      catalogImage(1),
      catalogImage(5, { kind: 'runtime' }),
    ]);
    const again = catalogImage(5, { vettedAt: '2026-01-20T00:00:00.000Z', tag: 'rebuilt' });
    const result = withImage(catalog, again);
    expect(result.images.map((i) => [i.kind, i.inputsDigest, i.tag])).toEqual([
      ['toolchain', catalogImage(1).inputsDigest, catalogImage(1).tag],
      ['runtime', catalogImage(5).inputsDigest, catalogImage(5).tag],
      ['toolchain', catalogImage(5).inputsDigest, 'rebuilt'],
    ]);
    expect(catalog.images).toHaveLength(3);
  });

  test('adds a record with other inputs beside the existing one', () => {
    expect(withImage(targetCatalog('t', [catalogImage(1)]), catalogImage(2)).images.map((i) => i.inputsDigest)).toEqual(
      [catalogImage(1).inputsDigest, catalogImage(2).inputsDigest],
    );
  });
});

describe('withAmi', () => {
  test('adds an AMI, ordered by creation time, to a document that had none', () => {
    const { amis: _none, ...old } = targetCatalog('t', []);
    expect(withAmi(old, catalogAmi(3)).amis).toEqual([catalogAmi(3)]);
    expect(withAmi(targetCatalog('t', [], [catalogAmi(3)]), catalogAmi(1)).amis!.map((a) => a.amiId)).toEqual([
      'ami-1',
      'ami-3',
    ]);
  });

  test('drops the AMIs retention deregistered, and replaces a record of the same AMI', () => {
    const catalog = targetCatalog('t', [], [catalogAmi(1), catalogAmi(2), catalogAmi(3)]);
    const result = withAmi(catalog, catalogAmi(3, { name: 'renamed', createdAt: '2026-01-09T00:00:00.000Z' }), [
      'ami-1',
    ]);
    expect(result.amis!.map((a) => [a.amiId, a.name])).toEqual([
      ['ami-2', 'bake-debian12-amd64-2'],
      ['ami-3', 'renamed'],
    ]);
  });
});

describe('vettedEntry', () => {
  const catalog = targetCatalog('t', [
    catalogImage(1, { vettedAt: '2026-01-03T00:00:00.000Z', tag: 'newer' }),
    catalogImage(1, { tag: 'older' }),
    catalogImage(2),
  ]);

  test('the newest record of the kind with these inputs', () => {
    expect(vettedEntry(catalog, 'toolchain', catalogImage(1).inputsDigest)?.tag).toBe('newer');
  });

  test('none for other inputs, another kind, or no catalog', () => {
    expect(vettedEntry(catalog, 'toolchain', `sha256:${hex64(9)}`)).toBeUndefined();
    expect(vettedEntry(catalog, 'runtime', catalogImage(1).inputsDigest)).toBeUndefined();
    expect(vettedEntry(undefined, 'toolchain', catalogImage(1).inputsDigest)).toBeUndefined();
  });
});

describe('catalogImage', () => {
  test('records the plan, where the image is, and the report summary', () => {
    const plan: Plan = {
      ...fixtureCore(handMadeTarget()),
      contexts: { toolchain: [], runtime: [] },
      inputsDigest: `sha256:${'c'.repeat(64)}`,
    };
    const image = {
      kind: 'toolchain',
      status: 'vetted',
      imageId: `sha256:${'d'.repeat(64)}`,
      tags: [],
      reportDigest: `sha256:${'f'.repeat(64)}`,
    } as ImageResult;
    const report = {
      results: [{ status: 'pass' }, { status: 'pass' }, { status: 'fail' }],
      skipped: [{}],
    } as unknown as Report;
    const entry = catalogImageOf(
      plan,
      image,
      { repository: 'r/testos1-go', tag: 't1' },
      report,
      new Date('2026-01-15T00:00:00Z'),
    );
    expect(entry).toMatchObject({
      target: 'testos1-amd64',
      recipe: 'testos1',
      arch: 'amd64',
      kind: 'toolchain',
      goVersion: plan.go.version,
      inputsDigest: plan.inputsDigest,
      imageId: image.imageId,
      repository: 'r/testos1-go',
      tag: 't1',
      reportDigest: image.reportDigest,
      summary: { checks: 3, passed: 2, skipped: 1 },
      vettedAt: '2026-01-15T00:00:00.000Z',
    });
    expect(entry).not.toHaveProperty('manifestDigest');
    expect(
      catalogImageOf(plan, image, { repository: 'r', tag: 't', manifestDigest: 'sha256:m' }, report, new Date())
        .manifestDigest,
    ).toBe('sha256:m');
  });
});
