import { join, resolve } from 'node:path';

/** `<repo>/.test-cache`: owned by the tests, ignored by git, reused between local runs. */
export function testCacheDir(): string {
  return resolve(__dirname, '..', '..', '.test-cache');
}

/** Downloads (content-addressed) and apt state, shared by every integration test. */
export const testBakeCacheDir = () => join(testCacheDir(), 'bake-cache');

/** bake's state for the tests: the embedded engine, reports. */
export const testStateDir = () => join(testCacheDir(), 'state');
