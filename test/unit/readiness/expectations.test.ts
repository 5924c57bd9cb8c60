import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { sha256Hex } from '../../../bake/common/sha256';
import { makePlan } from '../../../bake/render/make-plan';
import { buildExpectations } from '../../../bake/readiness/expectations';
import { expandTargets } from '../../../bake/recipe/expand-targets';
import { loadRecipes } from '../../../bake/recipe/load-recipes';

async function goArchive(goBinary: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: 'go/VERSION' }, 'go1.22.12\n');
  pack.entry({ name: 'go/bin/go', mode: 0o755 }, goBinary);
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const c of pack) parts.push(c as Buffer);
  return gzipSync(Buffer.concat(parts));
}

describe('buildExpectations', () => {
  test('derives every expectation of a kind from a real recipe plan and the archive', async () => {
    const { recipes } = await loadRecipes('recipes');
    const target = expandTargets(recipes).find((t) => t.name === 'debian12-arm64')!;
    const go = {
      version: '1.22.12',
      arch: target.arch,
      source: 'debian' as const,
      filename: 'go1.22.12.linux-arm64.tar.gz',
      sha256: sha256Hex('x'),
      size: 1,
      origin: 'test',
      verifiedBy: [],
    };
    const { plan } = makePlan({
      target,
      go,
      sourceDateEpoch: 1793651780,
      verdict: { status: 'supported', line: '1.22', endOfSupport: '2027-06-30', recommended: '1.22.12', messages: [] },
    });
    const dir = mkdtempSync(join(tmpdir(), 'bake-expect-'));
    try {
      const binary = Buffer.from('pretend arm64 go');
      writeFileSync(join(dir, go.filename), await goArchive(binary));
      const toolchain = await buildExpectations(plan, 'toolchain', join(dir, go.filename));
      expect(toolchain).toMatchObject({
        kind: 'toolchain',
        goVersion: '1.22.12',
        arch: 'arm64',
        env: plan.env,
        goBinarySha256: createHash('sha256').update(binary).digest('hex'),
        user: { name: target.user.name, uid: target.user.uid, gid: target.user.gid, home: `/home/${target.user.name}` },
        requiredLabels: plan.labels,
        sizeBudgetMB: target.image.sizeBudgetMB,
        caBundlePath: '/etc/ssl/certs/ca-certificates.crt',
      });
      const runtime = await buildExpectations(plan, 'runtime', join(dir, go.filename));
      expect(runtime.sizeBudgetMB).toBe(target.image.runtimeSizeBudgetMB);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
