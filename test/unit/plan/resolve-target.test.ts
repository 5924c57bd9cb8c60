import { resolve } from 'node:path';
import { goSourceOrder } from '../../../bake/plan/resolve-target';
import { handMadeTarget } from '../render/render-fixtures';

const target = handMadeTarget({ go: { versions: '1.27.x', sources: ['official', 'mirror', 'debian'] } });
const ctx = (extra: Partial<Parameters<typeof goSourceOrder>[1]> = {}) => ({
  recipesDir: '/r',
  env: {},
  ...extra,
});

describe('goSourceOrder', () => {
  test("the recipe's sources, in its order", () => {
    expect(goSourceOrder(target, ctx())).toEqual({ kinds: ['official', 'mirror', 'debian'], mirror: undefined });
  });

  test('--go-source overrides the recipe', () => {
    expect(goSourceOrder(target, ctx({ goSource: ['debian'] })).kinds).toEqual(['debian']);
  });

  test('a mirror named on the command line or in BAKE_GO_MIRROR goes first', () => {
    expect(goSourceOrder(target, ctx({ goMirror: '/srv/go' }))).toEqual({
      kinds: ['mirror', 'official', 'debian'],
      mirror: '/srv/go',
    });
    expect(goSourceOrder(target, ctx({ env: { BAKE_GO_MIRROR: 'https://m.example/go' } }))).toEqual({
      kinds: ['mirror', 'official', 'debian'],
      mirror: 'https://m.example/go',
    });
    // --go-source still decides the kinds, the mirror is where a mirror source reads.
    expect(goSourceOrder(target, ctx({ goMirror: '/srv/go', goSource: ['debian'] }))).toEqual({
      kinds: ['debian'],
      mirror: '/srv/go',
    });
  });

  test("a recipe's own mirror keeps the recipe's order; a relative path is relative to the recipes", () => {
    const withMirror = handMadeTarget({ go: { ...target.go, mirror: 'mirrors/go' } });
    expect(goSourceOrder(withMirror, ctx())).toEqual({
      kinds: ['official', 'mirror', 'debian'],
      mirror: resolve('/r', 'mirrors/go'),
    });
    const absolute = handMadeTarget({ go: { ...target.go, mirror: 'https://m.example/go' } });
    expect(goSourceOrder(absolute, ctx()).mirror).toBe('https://m.example/go');
  });
});
