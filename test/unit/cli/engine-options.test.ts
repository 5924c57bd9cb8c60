import { availableParallelism } from 'node:os';
import { defaultConcurrency, parseConcurrency } from '../../../bake/cli/engine-options';

describe('--concurrency', () => {
  test('a whole number of 1 or more', () => {
    expect(parseConcurrency('1')).toBe(1);
    expect(parseConcurrency('12')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'two', ''])
      expect(() => parseConcurrency(bad)).toThrow(`--concurrency: expected a whole number of 1 or more, got "${bad}"`);
  });

  test('by default the cores, at most four', () => {
    expect(defaultConcurrency()).toBe(Math.max(1, Math.min(4, availableParallelism())));
    expect(defaultConcurrency()).toBeGreaterThanOrEqual(1);
    expect(defaultConcurrency()).toBeLessThanOrEqual(4);
  });
});
