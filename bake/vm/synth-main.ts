// cdktf.json's app: `cdktf synth` (or `npm run synth`) runs this to write one stack per target.
// It takes its settings from the environment, as the cdktf CLI passes none on the command line.
import { createLogger } from '../common/log';
import { BakeError, ExitCode, errorMessage, exitCodeOf } from '../common/errors';
import { defaultCacheDir } from '../common/paths';
import { redact } from '../common/redact';
import { assertNoEnvUrlCredentials } from '../common/url-credentials';
import { loadVersionPolicy } from '../golang/version-policy';
import type { PlanContext } from '../plan/types';
import { expandTargets, selectTargets } from '../recipe/expand-targets';
import { loadRecipes } from '../recipe/load-recipes';
import type { GoSourceKind } from '../recipe/types';
import { GO_SOURCES } from '../recipe/vocabulary';
import { synthStacks } from './synth';
import { planVmBuild } from './vm-build-plan';

const USAGE = [
  'environment: BAKE_TARGETS (comma-separated targets or recipes; default all), BAKE_RECIPES (default recipes),',
  'BAKE_GO_SOURCE (comma-separated Go sources), BAKE_GO_URL (where builders download Go), AWS_REGION,',
  'CDKTF_OUTDIR (set by the cdktf CLI; default cdktf.out)',
].join(' ');

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  assertNoEnvUrlCredentials(env);
  const logger = createLogger();
  const recipesDir = env.BAKE_RECIPES ?? 'recipes';
  const all = expandTargets((await loadRecipes(recipesDir)).recipes);
  const targets = env.BAKE_TARGETS ? selectTargets(all, list(env.BAKE_TARGETS)) : all;
  const ctx: PlanContext = {
    recipesDir,
    cacheDir: defaultCacheDir(env),
    policy: await loadVersionPolicy(recipesDir),
    now: new Date(),
    logger,
    goSource: env.BAKE_GO_SOURCE ? goSources(env.BAKE_GO_SOURCE) : undefined,
    goMirror: env.BAKE_GO_MIRROR,
    trustKeys: [],
    env,
  };
  const inputs = [];
  for (const target of targets) {
    const vm = await planVmBuild(ctx, target, { goUrl: env.BAKE_GO_URL });
    inputs.push({
      target,
      userData: vm.userData,
      goVersion: vm.planned.plan.go.version,
      region: env.AWS_REGION,
      script: vm.script,
    });
  }
  for (const stack of await synthStacks(env.CDKTF_OUTDIR ?? 'cdktf.out', inputs))
    logger.info(`${stack.stack}: ${stack.stackFile}`);
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function goSources(value: string): GoSourceKind[] {
  const kinds = list(value);
  const unknown = kinds.filter((k) => !(GO_SOURCES as readonly string[]).includes(k));
  if (unknown.length)
    throw new BakeError(
      `BAKE_GO_SOURCE: unknown source ${unknown.join(', ')} (expected ${GO_SOURCES.join(', ')})`,
      ExitCode.Usage,
    );
  return kinds as GoSourceKind[];
}

if (require.main === module) {
  main(process.env).catch((err: unknown) => {
    process.stderr.write(redact(`bake synth: ${errorMessage(err)}\n${USAGE}\n`));
    process.exit(exitCodeOf(err));
  });
}
