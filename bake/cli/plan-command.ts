import type { Command } from 'commander';
import type { Plan } from '../plan/types';
import { selectTargets } from '../recipe/expand-targets';
import { commandSession } from './command-session';
import { printJson, printOut } from './output';

export function planCommand(program: Command): Command {
  return program
    .command('plan')
    .description('resolve, fetch and verify everything a target depends on, and print its plan and inputs digest')
    .argument('<targets...>', 'target names (rocky9-arm64) or recipe names (all its architectures)')
    .option('--json', 'print the plan as JSON', false)
    .action(async (names: string[], options: { json: boolean }, command: Command) => {
      const { planTarget } = await import('../render/plan-target');
      const session = await commandSession(command);
      const plans: Plan[] = [];
      for (const target of selectTargets(session.targets, names)) plans.push((await planTarget(session, target)).plan);
      if (options.json) return printJson(plans.length === 1 ? plans[0] : plans);
      for (const plan of plans) printOut(`${describePlan(plan)}\n`);
    });
}

export function describePlan(plan: Plan): string {
  const { policy } = plan;
  const support = policy.endOfSupport ? `supported until ${policy.endOfSupport}` : 'supported upstream';
  const archive = plan.base.archive;
  const lines = [
    `target         ${plan.target.name}`,
    `inputs digest  ${plan.inputsDigest}`,
    `go             ${plan.go.version} from ${plan.go.source} (${plan.go.origin})`,
    `go archive     ${plan.go.filename} sha256:${plan.go.sha256}`,
    ...plan.go.verifiedBy.map((v) => `  verified     ${v}`),
    `base           ${plan.base.ref}${plan.base.bootstrap ? ` (or bootstrapped: ${plan.base.bootstrap.suite})` : ''}`,
    `policy         ${policy.status}: Go ${policy.line} ${support}, recommended ${policy.recommended}`,
    ...policy.messages.map((m) => `  note         ${m}`),
    ...(archive
      ? [
          `base archive   ${archive.suite} ${archive.arch}: ` +
            `${Object.keys(archive.packages).length} packages, ${archive.digest}`,
        ]
      : []),
    ...packageLines(plan),
    ...toolLines(plan.target.tools),
  ];
  for (const [kind, files] of Object.entries(plan.contexts)) {
    lines.push(`${kind} context`);
    for (const f of files) lines.push(`  ${f.sha256.slice(0, 16)}  ${String(f.size).padStart(10)}  ${f.path}`);
  }
  return lines.join('\n');
}

/** The recipe's tools: Go's own packages, and module tools with their versions and how they are verified. */
export function toolLines(tools: Plan['target']['tools']): string[] {
  return tools.map((t) => {
    if (!t.module) return `tool           ${t.name}  ${t.package} (Go distribution)`;
    const verified = t.module.sum ? `pinned ${t.module.sum}` : 'verified through GOSUMDB';
    return `tool           ${t.name}  ${t.package}@${t.module.version} (module ${t.module.path}, ${verified})`;
  });
}

function packageLines(plan: Plan): string[] {
  const packages = plan.packages;
  if (!packages) return [];
  if (!packages.pinned) return [`packages       unpinned: ${packages.note ?? ''}`];
  return Object.entries(packages.images).flatMap(([kind, pins]) => [
    `${kind} packages (${pins?.length ?? 0})`,
    ...(pins ?? []).map((p) => `  ${p.name}=${p.version}`),
  ]);
}
