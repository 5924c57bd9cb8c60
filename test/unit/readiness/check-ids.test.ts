import { CHECK_IDS } from '../../../bake/recipe/check-ids';
import { ALL_CHECKS } from '../../../bake/readiness/default-checks';

// The recipe stage validates `checks.extra` and `checks.skip` against its own copy of the ids.
describe('the check ids a recipe may name', () => {
  it('are exactly the checks the readiness suite registers', () => {
    expect([...CHECK_IDS].sort()).toEqual(ALL_CHECKS.map((c) => c.id).sort());
  });
});
