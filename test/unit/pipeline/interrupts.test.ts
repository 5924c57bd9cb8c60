import { ExitCode } from '../../../bake/common/errors';
import type { Logger } from '../../../bake/common/log';
import { throwIfInterrupted, withInterrupts } from '../../../bake/pipeline/interrupts';

const quiet = (): Logger & { warnings: string[] } => {
  const warnings: string[] = [];
  return { info: () => {}, debug: () => {}, warn: (m) => warnings.push(m), warnings };
};

describe('withInterrupts', () => {
  it('aborts the run on SIGINT, cleans up at once and again at the end, and removes its handlers', async () => {
    const logger = quiet();
    const cleanups: string[] = [];
    const before = process.listenerCount('SIGINT');
    const result = await withInterrupts({ logger, cleanup: async () => cleanups.push('cleanup') }, async (signal) => {
      expect(process.listenerCount('SIGINT')).toBe(before + 1);
      process.emit('SIGINT', 'SIGINT');
      expect(signal.aborted).toBe(true);
      return 'wound down';
    });
    expect(result).toBe('wound down');
    expect(cleanups).toEqual(['cleanup', 'cleanup']);
    expect(logger.warnings).toEqual([expect.stringMatching(/^SIGINT: cancelling the run/)]);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('cleans up once when the run ends on its own, and passes its error through', async () => {
    let cleaned = 0;
    const before = process.listenerCount('SIGTERM');
    const failing = withInterrupts({ logger: quiet(), cleanup: async () => (cleaned += 1) }, async (signal) => {
      expect(signal.aborted).toBe(false);
      throw new Error('build failed');
    });
    await expect(failing).rejects.toThrow('build failed');
    expect(cleaned).toBe(1);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('a cleanup that fails does not hide the result', async () => {
    const run = withInterrupts(
      { logger: quiet(), cleanup: () => Promise.reject(new Error('engine gone')) },
      async () => 42,
    );
    await expect(run).resolves.toBe(42);
  });
});

describe('throwIfInterrupted', () => {
  it('ends an interrupted run with exit 130, and lets a running one go on', () => {
    const controller = new AbortController();
    expect(() => throwIfInterrupted(controller.signal, 'verifying x')).not.toThrow();
    controller.abort();
    expect(() => throwIfInterrupted(controller.signal, 'verifying x')).toThrow(
      expect.objectContaining({ exitCode: ExitCode.Interrupted, message: 'verifying x interrupted' }),
    );
  });
});
