import { planPrune } from '../../../bake/registry/prune-plan';
import type { CatalogImage } from '../../../bake/registry/types';
import { catalogImage } from './catalog-fixtures';

const now = new Date('2026-11-24T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

/** A vetted image `n` days old, tagged `t<n>`. */
const image = (n: number, extra: Partial<CatalogImage>) =>
  catalogImage(n, { tag: `t${n}`, vettedAt: daysAgo(n), ...extra });

describe('retention', () => {
  const images = [image(1, {}), image(10, {}), image(20, {}), image(30, { goVersion: '1.21.13' }), image(40, {})];

  test('keeps the newest N and the newest of each Go line; removes the rest past the cutoff', () => {
    const decision = planPrune(images, { keep: 1, olderThanDays: 0, now }, new Set());
    expect(decision.remove.map((i) => i.tag)).toEqual(['t10', 't20', 't40']);
    expect(Object.fromEntries(decision.kept.map((k) => [k.image.tag, k.why]))).toEqual({
      t1: 'one of the newest 1',
      t30: 'newest vetted image of Go 1.21',
    });
  });

  test('never removes what a moving tag points at', () => {
    const decision = planPrune(images, { keep: 1, olderThanDays: 0, now }, new Set([images[2].manifestDigest!]));
    expect(decision.remove.map((i) => i.tag)).toEqual(['t10', 't40']);
    expect(decision.kept.find((k) => k.image.tag === 't20')?.why).toBe('a moving tag points at it');
  });

  test('only images older than the cutoff go', () => {
    expect(planPrune(images, { keep: 1, olderThanDays: 25, now }, new Set()).remove.map((i) => i.tag)).toEqual(['t40']);
  });

  test('groups by target and kind: another target keeps its own newest', () => {
    const other = image(50, { target: 'debian12-arm64', arch: 'arm64' });
    expect(
      planPrune([...images, other], { keep: 1, olderThanDays: 0, now }, new Set()).kept.map((k) => k.image.tag),
    ).toContain('t50');
  });
});
