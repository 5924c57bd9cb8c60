import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, defaultStateDir } from '../../../bake/common/paths';

describe('defaultCacheDir and defaultStateDir', () => {
  test("bake's own variables win", () => {
    expect(defaultCacheDir({ BAKE_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(defaultStateDir({ BAKE_STATE_DIR: '/s', XDG_STATE_HOME: '/x' })).toBe('/s');
  });

  test('then the XDG base directories', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg/cache' })).toBe('/xdg/cache/bake');
    expect(defaultStateDir({ XDG_STATE_HOME: '/xdg/state' })).toBe('/xdg/state/bake');
  });

  test('then the XDG defaults under the home directory (an empty variable counts as unset)', () => {
    expect(defaultCacheDir({})).toBe(join(homedir(), '.cache', 'bake'));
    expect(defaultStateDir({ XDG_STATE_HOME: '', BAKE_STATE_DIR: '' })).toBe(
      join(homedir(), '.local', 'state', 'bake'),
    );
  });
});
