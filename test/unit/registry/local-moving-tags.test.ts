import { reconcileLocalMovingTags } from '../../../bake/registry/local-moving-tags';
import type { ImageDetails } from '../../../bake/engine/types';
import { recordingLogger } from '../golang/go-fixtures';
import { catalogImage } from './catalog-fixtures';

/** An engine's tags: reference → image id. */
class FakeEngine {
  readonly tags = new Map<string, string>();
  async inspectImage(ref: string) {
    const id = this.tags.get(ref);
    return id ? ({ id } as ImageDetails) : undefined;
  }
  async tag(imageId: string, repo: string, tag: string) {
    this.tags.set(`${repo}:${tag}`, imageId);
  }
  async removeImage(ref: string) {
    this.tags.delete(ref);
  }
}

const REPO = 'bake/debian12-go';
const local = (n: number, extra = {}) =>
  catalogImage(n, { repository: REPO, tag: `immutable-${n}`, manifestDigest: undefined, ...extra });
const revoked = { at: '2026-02-01T00:00:00.000Z', by: 'a', reason: 'r' };

function engineWith(...ns: number[]): FakeEngine {
  const engine = new FakeEngine();
  for (const n of ns) engine.tags.set(`${REPO}:immutable-${n}`, local(n).imageId);
  engine.tags.set(`${REPO}:1.22-amd64`, local(ns[ns.length - 1]).imageId);
  engine.tags.set(`${REPO}:1.22.12-amd64`, local(ns[ns.length - 1]).imageId);
  return engine;
}

test('the moving tags go back to the newest image that is not revoked and is still in the engine', async () => {
  const engine = engineWith(1, 2, 3);
  engine.tags.delete(`${REPO}:immutable-2`);
  const moved = await reconcileLocalMovingTags(
    engine,
    [local(1), local(2), { ...local(3), revoked }],
    new Set([REPO]),
    recordingLogger(),
  );
  expect(moved).toEqual([`${REPO}:1.22-amd64`, `${REPO}:1.22.12-amd64`]);
  expect(engine.tags.get(`${REPO}:1.22-amd64`)).toBe(local(1).imageId);
});

test('with none left the moving tags are removed; other repositories are not touched', async () => {
  const engine = engineWith(1);
  engine.tags.set('bake/other:1.22-amd64', 'sha256:x');
  const images = [{ ...local(1), revoked }, local(9, { repository: 'bake/other' })];
  await reconcileLocalMovingTags(engine, images, new Set([REPO]), recordingLogger());
  expect([...engine.tags.keys()].sort()).toEqual([`${REPO}:immutable-1`, 'bake/other:1.22-amd64']);
});

test('nothing to do moves nothing', async () => {
  const engine = engineWith(1, 2);
  expect(await reconcileLocalMovingTags(engine, [local(1), local(2)], new Set([REPO]), recordingLogger())).toEqual([]);
});
