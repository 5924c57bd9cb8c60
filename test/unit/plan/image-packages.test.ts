import { imagePackages, RUNTIME_PACKAGES } from '../../../bake/plan/image-packages';
import { handMadeTarget } from '../render/render-fixtures';

describe('imagePackages', () => {
  test("the toolchain gets the recipe's packages and the runtime's, once each; the runtime only its own", () => {
    const target = handMadeTarget({ packages: ['git', 'ca-certificates', 'make'] });
    expect(imagePackages(target)).toEqual({
      toolchain: ['git', 'ca-certificates', 'make', 'tzdata'],
      runtime: ['ca-certificates', 'tzdata'],
    });
  });

  test('per family', () => {
    const rhel = imagePackages(handMadeTarget({ family: 'rhel', packages: [] }));
    expect(rhel.runtime).toEqual([...RUNTIME_PACKAGES.rhel]);
    // A copy: changing a plan's list never changes the table.
    rhel.runtime.push('x');
    expect(RUNTIME_PACKAGES.rhel).not.toContain('x');
  });
});
