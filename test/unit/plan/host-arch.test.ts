jest.mock('node:os', () => ({ ...jest.requireActual<typeof import('node:os')>('node:os'), arch: jest.fn() }));
import { arch } from 'node:os';
import { hostArch } from '../../../bake/plan/host-arch';

describe('hostArch', () => {
  test.each<[NodeJS.Architecture, string | undefined]>([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['ia32', undefined],
    ['s390x', undefined],
  ])("Node's %s is %s", (node, expected) => {
    jest.mocked(arch).mockReturnValue(node);
    expect(hostArch()).toBe(expected);
  });
});
