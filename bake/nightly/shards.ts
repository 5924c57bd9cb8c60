import { BakeError, ExitCode } from '../common/errors';
import type { Target } from '../recipe/types';

export interface Shard {
  index: number;
  count: number;
}

/** `--shard i/n`, 1-based. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new BakeError(`--shard: expected i/n with 1 <= i <= n, got "${value}"`, ExitCode.Usage);
  return { index, count };
}

/**
 * The targets of one shard: whole recipes (both architectures of a recipe stay together, so one
 * job publishes a multi-arch index from both), dealt round-robin in name order. Deterministic:
 * every CI job computes the same split.
 */
export function shardTargets(targets: Target[], shard: Shard): Target[] {
  const recipes = [...new Set(targets.map((t) => t.recipe))].sort();
  const mine = new Set(recipes.filter((_, i) => i % shard.count === shard.index - 1));
  return targets.filter((t) => mine.has(t.recipe));
}

/** A CI matrix (GitHub Actions `include` form): one entry per shard with its targets. */
export function shardMatrix(targets: Target[], count: number): { include: { shard: string; targets: string }[] } {
  return {
    include: Array.from({ length: count }, (_, i) => {
      const shard = { index: i + 1, count };
      return {
        shard: `${shard.index}/${count}`,
        targets: shardTargets(targets, shard)
          .map((t) => t.name)
          .join(' '),
      };
    }).filter((entry) => entry.targets !== ''),
  };
}
