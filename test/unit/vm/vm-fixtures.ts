// Provisioning inputs for unit tests: real recipes (or hand-made targets) with the synthetic Go
// distribution of the render tests, so rendered bytes depend only on recipes and templates.
import { sha256Hex } from '../../../bake/common/sha256';
import type { Target } from '../../../bake/recipe/types';
import type { ProvisionInput } from '../../../bake/vm/types';
import { fixtureCore } from '../render/render-fixtures';

export function provisionInput(target: Target, overrides: Partial<ProvisionInput> = {}): ProvisionInput {
  const core = fixtureCore(target);
  return {
    target,
    env: core.env,
    go: core.go,
    goBinarySha256: sha256Hex(`go binary of ${core.go.filename}`),
    goUrl: `https://go.dev/dl/${core.go.filename}`,
    ...overrides,
  };
}
