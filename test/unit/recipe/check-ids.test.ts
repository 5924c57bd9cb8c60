import { CHECK_IDS } from '../../../bake/recipe/check-ids';
import { IMAGE_CHECKS } from '../../../bake/readiness/default-checks';
import { VM_CHECKS } from '../../../bake/vm/checks/vm-checks';

// The recipe stage validates `checks.extra` and `checks.skip` against its own copy of the ids.
describe('the check ids a recipe may name', () => {
  it('are exactly the checks of images and of VM templates, each once', () => {
    expect([...CHECK_IDS].sort()).toEqual([...IMAGE_CHECKS, ...VM_CHECKS].map((c) => c.id).sort());
  });
});
