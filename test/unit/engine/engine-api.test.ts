import { apiAtLeast } from '../../../bake/engine/engine-api';

describe('apiAtLeast', () => {
  test('compares API versions as numbers, not text', () => {
    expect(apiAtLeast('1.45', '1.41')).toBe(true);
    expect(apiAtLeast('1.41', '1.41')).toBe(true);
    expect(apiAtLeast('1.40', '1.41')).toBe(false);
    expect(apiAtLeast('1.100', '1.41')).toBe(true);
    expect(apiAtLeast('1.9', '1.39')).toBe(false);
    expect(apiAtLeast('2.0', '1.41')).toBe(true);
    expect(apiAtLeast('1.45', '2.0')).toBe(false);
  });
});
