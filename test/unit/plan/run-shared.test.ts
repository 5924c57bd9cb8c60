import { silentLogger } from '../../../bake/common/log';
import { runShared } from '../../../bake/plan/run-shared';
import type { PlanContext } from '../../../bake/plan/types';
import { scratchDir } from '../scratch-dir';

const context = (extra: Partial<PlanContext> = {}): PlanContext => ({
  recipesDir: 'recipes',
  cacheDir: scratchDir('bake-shared-'),
  policy: { upstreamLines: 2, lines: [] },
  now: new Date(),
  logger: silentLogger,
  trustKeys: [],
  env: {},
  ...extra,
});

describe('runShared', () => {
  test('the targets of one run share one download cache, the trusted keys and the Debian source', async () => {
    const ctx = context();
    const a = runShared(ctx);
    const b = runShared(ctx);
    expect(b).toBe(a);
    expect(a.cache.dir).toBe(ctx.cacheDir);
    expect(a.debian()).toBe(b.debian());
    expect((await a.trustedKeys).map((k) => k.fingerprint)).toEqual(['eb4c1bfd4f042f6dddccec917721f63bd38b4796']);
  });

  test('another run starts afresh', () => {
    const ctx = context();
    const other = context({ cacheDir: ctx.cacheDir });
    expect(runShared(other)).not.toBe(runShared(ctx));
    expect(runShared(other).debian()).not.toBe(runShared(ctx).debian());
  });

  test('a key file that cannot be read fails every target of the run the same way', async () => {
    const ctx = context({ trustKeys: ['/nonexistent/key.asc'] });
    await expect(runShared(ctx).trustedKeys).rejects.toThrow(
      '--trust-key /nonexistent/key.asc: cannot read the key file',
    );
    await expect(runShared(ctx).trustedKeys).rejects.toThrow('cannot read the key file');
  });
});
