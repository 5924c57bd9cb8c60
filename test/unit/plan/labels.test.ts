import { imageLabels } from '../../../bake/plan/labels';
import { fixtureCore, handMadeTarget } from '../render/render-fixtures';

describe('imageLabels', () => {
  const core = fixtureCore(handMadeTarget());
  const labels = imageLabels(core);

  test("the created time is the plan's SOURCE_DATE_EPOCH, to the second", () => {
    expect(labels['org.opencontainers.image.created']).toBe('2026-11-02T20:36:20Z');
    const later = imageLabels({ ...core, sourceDateEpoch: core.sourceDateEpoch + 1 });
    expect(later['org.opencontainers.image.created']).toBe('2026-11-02T20:36:21Z');
  });

  test('names the recipe, target, Go release and base (its name without the digest, and the digest)', () => {
    expect(labels).toMatchObject({
      'org.opencontainers.image.title': 'testos1-go',
      'org.opencontainers.image.version': core.go.version,
      'org.opencontainers.image.base.name': 'registry.example/testos:1',
      'org.opencontainers.image.base.digest': `sha256:${'0'.repeat(64)}`,
      'io.bake.recipe': 'testos1',
      'io.bake.target': 'testos1-amd64',
      'io.bake.go.sha256': core.go.sha256,
      'io.bake.go.source': 'official',
      'io.bake.go.filename': core.go.filename,
    });
  });

  test("leaves out where Go came from (a mirror URL may carry credentials) and anything of the build's moment", () => {
    const withSecret = imageLabels({ ...core, go: { ...core.go, origin: 'https://u:s3cret@mirror.example/go/' } });
    expect(JSON.stringify(withSecret)).not.toContain('s3cret');
    expect(withSecret).toEqual(labels);
  });
});
