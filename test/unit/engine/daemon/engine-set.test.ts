import { parseEngineChoice } from '../../../../bake/engine/daemon/engine-set';

describe('engines per architecture', () => {
  test('one endpoint for all, and per-architecture endpoints that replace it', () => {
    expect(parseEngineChoice(['unix:///run/a.sock', 'arm64=ssh://builder@arm-host'], {})).toEqual({
      all: 'unix:///run/a.sock',
      perArch: { arm64: 'ssh://builder@arm-host' },
    });
    expect(parseEngineChoice(['amd64=/run/x.sock'], {})).toEqual({ perArch: { amd64: 'unix:///run/x.sock' } });
  });

  test('BAKE_ENGINE_<ARCH> from the environment; flags win', () => {
    expect(parseEngineChoice([], { BAKE_ENGINE_ARM64: 'tcp://10.0.0.5:2375' })).toEqual({
      perArch: { arm64: 'tcp://10.0.0.5:2375' },
    });
    expect(
      parseEngineChoice(['arm64=tcp://10.0.0.6:2375'], { BAKE_ENGINE_ARM64: 'tcp://10.0.0.5:2375' }).perArch.arm64,
    ).toBe('tcp://10.0.0.6:2375');
  });

  test('an unknown architecture or two shared endpoints are usage errors', () => {
    expect(() => parseEngineChoice(['riscv64=unix:///x.sock'], {})).toThrow(
      '--engine riscv64=unix:///x.sock: unknown architecture "riscv64"',
    );
    expect(() => parseEngineChoice(['unix:///a.sock', 'unix:///b.sock'], {})).toThrow(/--engine given twice/);
  });
});
