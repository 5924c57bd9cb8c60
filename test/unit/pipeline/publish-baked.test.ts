import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../../bake/common/errors';
import { silentLogger } from '../../../bake/common/log';
import { sha256Hex } from '../../../bake/common/sha256';
import { publishBaked } from '../../../bake/pipeline/publish-baked';
import type { BakedTarget, ImageResult, TargetResult } from '../../../bake/pipeline/types';
import type { Plan } from '../../../bake/plan/types';
import { localCatalog } from '../../../bake/registry/open-registry';
import { publishRun } from '../../../bake/registry/publish-run';
import { fixtureCore, handMadeTarget } from '../render/render-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'bake-publish-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = Buffer.from(
  JSON.stringify({ schema: 'bake.report/v1', results: [{ id: 'go.version', status: 'pass' }], skipped: [] }),
);
const reportFile = join(dir, 'report.json');
writeFileSync(reportFile, report);

function baked(name: string, status: TargetResult['status'], image: Partial<ImageResult> = {}): BakedTarget {
  const target = handMadeTarget({ name });
  const plan: Plan = {
    ...fixtureCore(target),
    contexts: { toolchain: [], runtime: [] },
    inputsDigest: `sha256:${sha256Hex(name)}`,
  };
  const images: ImageResult[] = [
    {
      kind: 'toolchain',
      status: 'vetted',
      imageId: `sha256:${'d'.repeat(64)}`,
      tags: [],
      immutableRef: `bake/testos1-go:${name}`,
      reportDigest: `sha256:${sha256Hex(report)}`,
      reportFiles: { json: reportFile, junit: '' },
      ...image,
    },
  ];
  return { result: { target: name, status, images, durationMs: 1 }, plan };
}

const input = (stateDir: string) => ({
  engineFor: () => Promise.reject(new Error('no engine is needed without a registry')),
  local: localCatalog(stateDir),
  lockDir: join(stateDir, 'locks'),
  now: new Date('2026-02-01T00:00:00Z'),
  logger: silentLogger,
});

describe('publishing a run', () => {
  test('publishRun returns an outcome per target, in order; a failure stops only that target', async () => {
    const state = join(dir, 'outcomes');
    const [good, bad] = [baked('ok-amd64', 'vetted'), baked('bad-amd64', 'vetted', { immutableRef: undefined })];
    const outcomes = await publishRun({
      ...input(state),
      targets: [good, bad].map((b) => ({ plan: b.plan!, images: b.result.images })),
    });
    expect(outcomes).toEqual([
      { target: 'ok-amd64', status: 'published', refs: ['bake/testos1-go:ok-amd64'] },
      {
        target: 'bad-amd64',
        status: 'failed',
        exitCode: ExitCode.Failure,
        message: `publishing failed: toolchain image sha256:${'d'.repeat(64)} has no immutable tag to publish`,
      },
    ]);
    expect((await localCatalog(state).read('ok-amd64'))?.images.map((i) => i.tag)).toEqual(['ok-amd64']);
    expect(await localCatalog(state).read('bad-amd64')).toBeUndefined();
  });

  test(
    'publishBaked publishes what passed, marks what failed to publish, ' + 'and leaves the rest as they were',
    async () => {
      const state = join(dir, 'baked');
      const run = [
        baked('ok-amd64', 'up-to-date'),
        baked('bad-amd64', 'vetted', { immutableRef: undefined }),
        baked('no-amd64', 'rejected', { immutableRef: undefined }),
      ];
      await publishBaked({ ...input(state), baked: run });
      expect(run.map((b) => [b.result.status, b.result.exitCode, b.result.message])).toEqual([
        ['up-to-date', undefined, undefined],
        [
          'failed',
          ExitCode.Failure,
          `publishing failed: toolchain image sha256:${'d'.repeat(64)} has no immutable tag to publish`,
        ],
        ['rejected', undefined, undefined],
      ]);
      expect(await localCatalog(state).targets()).toEqual(['ok-amd64']);
    },
  );
});
