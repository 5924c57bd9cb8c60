import { BakeError, ExitCode } from '../../../bake/common/errors';
import { parseShard, shardMatrix, shardTargets } from '../../../bake/nightly/shards';
import type { Target } from '../../../bake/recipe/types';
import { handMadeTarget } from '../render/render-fixtures';

const target = (recipe: string, arch: 'amd64' | 'arm64'): Target =>
  handMadeTarget({ name: `${recipe}-${arch}`, recipe, arch });
const RECIPES = ['centos7', 'debian12', 'rocky9', 'ubuntu2404', 'alpine3'];
const targets = RECIPES.flatMap((r) => [target(r, 'amd64'), target(r, 'arm64')]);
const names = (ts: Target[]) => ts.map((t) => t.name);

describe('parseShard', () => {
  test.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/3', { index: 2, count: 3 }],
    ['3/3', { index: 3, count: 3 }],
  ])('%s', (value, shard) => {
    expect(parseShard(value)).toEqual(shard);
  });

  test.each(['0/2', '3/2', '1/0', '0/0', '1', '1/2/3', 'a/b', '-1/2', ' 1/2', '1/2 ', '1.5/2', ''])(
    'refuses %j as a usage error',
    (value) => {
      let err: unknown;
      try {
        parseShard(value);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BakeError);
      expect(err).toMatchObject({
        exitCode: ExitCode.Usage,
        message: `--shard: expected i/n with 1 <= i <= n, got "${value}"`,
      });
    },
  );
});

describe('shardTargets', () => {
  test('deals whole recipes round-robin in name order: both architectures of a recipe stay together', () => {
    // Recipes in name order: alpine3 (1), centos7 (2), debian12 (1), rocky9 (2), ubuntu2404 (1);
    // targets keep their order.
    expect(names(shardTargets(targets, { index: 1, count: 2 }))).toEqual([
      'debian12-amd64',
      'debian12-arm64',
      'ubuntu2404-amd64',
      'ubuntu2404-arm64',
      'alpine3-amd64',
      'alpine3-arm64',
    ]);
    expect(names(shardTargets(targets, { index: 2, count: 2 }))).toEqual([
      'centos7-amd64',
      'centos7-arm64',
      'rocky9-amd64',
      'rocky9-arm64',
    ]);
  });

  test('the shards cover every target exactly once', () => {
    for (const count of [1, 2, 3, 4, 7]) {
      const all = Array.from({ length: count }, (_, i) => names(shardTargets(targets, { index: i + 1, count }))).flat();
      expect(all.sort()).toEqual(names(targets).sort());
    }
  });

  test('deterministic: the same split whatever order the targets come in', () => {
    const shuffled = [
      targets[7],
      targets[2],
      targets[9],
      targets[0],
      targets[4],
      targets[1],
      targets[8],
      targets[3],
      targets[6],
      targets[5],
    ];
    for (const index of [1, 2, 3]) {
      expect(names(shardTargets(shuffled, { index, count: 3 })).sort()).toEqual(
        names(shardTargets(targets, { index, count: 3 })).sort(),
      );
    }
  });

  test('a recipe with only one target in the list is still dealt as one recipe', () => {
    const partial = [target('debian12', 'arm64'), target('rocky9', 'amd64'), target('rocky9', 'arm64')];
    expect(names(shardTargets(partial, { index: 1, count: 2 }))).toEqual(['debian12-arm64']);
    expect(names(shardTargets(partial, { index: 2, count: 2 }))).toEqual(['rocky9-amd64', 'rocky9-arm64']);
  });
});

describe('shardMatrix', () => {
  test('one include entry per shard, with its targets space-separated', () => {
    expect(shardMatrix(targets, 2)).toEqual({
      include: [
        {
          shard: '1/2',
          targets: 'debian12-amd64 debian12-arm64 ubuntu2404-amd64 ubuntu2404-arm64 alpine3-amd64 alpine3-arm64',
        },
        { shard: '2/2', targets: 'centos7-amd64 centos7-arm64 rocky9-amd64 rocky9-arm64' },
      ],
    });
  });

  test('more shards than recipes: the empty shards are left out', () => {
    const matrix = shardMatrix(targets.slice(0, 4), 5);
    expect(matrix.include.map((e) => e.shard)).toEqual(['1/5', '2/5']);
    expect(matrix.include.map((e) => e.targets)).toEqual([
      'centos7-amd64 centos7-arm64',
      'debian12-amd64 debian12-arm64',
    ]);
  });
});
