import { needsUpdate } from '../../../../bake/engine/host/apt-install';

describe('apt retry after update', () => {
  test('missing package lists call for apt-get update', () => {
    expect(needsUpdate({ code: 100, stdout: '', stderr: 'E: Unable to locate package docker.io' })).toBe(true);
    expect(needsUpdate({ code: 100, stdout: '', stderr: 'E: Package docker.io has no installation candidate' })).toBe(
      true,
    );
    expect(needsUpdate({ code: 100, stdout: '', stderr: 'E: dpkg was interrupted' })).toBe(false);
  });
});
