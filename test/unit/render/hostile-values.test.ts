// Hostile values in every recipe field that reaches a build context, rendered without the recipe
// check (hand-made targets), then: every RUN step and the profile script parsed by the shell and
// run with stubbed commands, ENV/LABEL pairs and go.env read back. Nothing may execute, no value
// may become an option or a second word, line or instruction.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanCore } from '../../../bake/plan/types';
import type { Family, Target } from '../../../bake/recipe/types';
import { POLICY_KEYS } from '../../../bake/plan/go-environment';
import { renderContexts } from '../../../bake/render/render-contexts';
import { DEFAULT_WARM_PACKAGES } from '../../../bake/plan/warm-cache';
import { fixtureCore, fixtureGo, handMadeTarget } from './render-fixtures';
import {
  HOSTILE,
  HOSTILE_WORDS,
  operands,
  PerValue,
  runEachIn,
  runJobsOf,
  sandbox,
  type Job,
  type Sandbox,
  type ShellResult,
  type StepResult,
} from './hostile-fixtures';

/** One hostile value in every free-text field of a target that reaches a build context. */
function hostileCore(value: string, family: Family): PlanCore {
  const notOption = !value.startsWith('-');
  const target: Target = handMadeTarget({
    name: value,
    recipe: value,
    distro: value,
    version: value,
    family,
    packages: notOption ? ['ca-certificates', value] : ['ca-certificates'],
    tools: notOption ? [{ name: 'tool', package: value }] : [],
    env: Object.fromEntries(POLICY_KEYS.map((k) => [k, value])) as Target['env'],
  });
  return fixtureCore(target, { ...fixtureGo(target), version: value });
}

/** Dockerfile instructions with continuation lines joined (comments and blank lines dropped). */
function instructions(dockerfile: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of dockerfile.split('\n')) {
    if (!current && (line.startsWith('#') || line.trim() === '')) continue;
    // The parser drops the backslash and the line break: the next line goes on this one.
    if (line.endsWith('\\')) {
      current += line.slice(0, -1);
      continue;
    }
    out.push(current + line);
    current = '';
  }
  return out;
}

/** ENV/LABEL pairs as BuildKit reads them: `KEY="..."` with \\ \" \$ escapes; anything else left over fails. */
function pairs(instruction: string): Record<string, string> {
  const body = instruction.replace(/^(ENV|LABEL) /, '');
  const out: Record<string, string> = {};
  const rest = body.replace(
    /([A-Za-z_][A-Za-z0-9_.-]*)="((?:[^"\\$]|\\["\\$])*)"/g,
    (_m, key: string, quoted: string) => {
      out[key] = quoted.replace(/\\(["\\$])/g, '$1');
      return '';
    },
  );
  expect(rest.trim()).toBe('');
  return out;
}

function files(core: PlanCore) {
  const byPath = new Map<string, string>();
  for (const ctx of renderContexts(core))
    for (const f of ctx.files) byPath.set(`${ctx.kind}/${f.path}`, f.content.toString('utf8'));
  return byPath;
}

/** The builder stages' instructions, the same in both kinds. */
function builderInstructions(value: string): string[] {
  return [
    // std-cache: the warm cache, the cache-times helper, the cleared cache.
    ...['FROM', 'ARG', 'ARG', 'ENV', 'WORKDIR', 'RUN'],
    ...['FROM', 'COPY', 'WORKDIR', 'RUN'],
    ...['FROM', 'RUN'],
    // builder: from the std-cache image, the binaries.
    'FROM',
    ...['FROM', 'COPY', 'WORKDIR', 'RUN'],
    // The recipe's tool, built beside the probe (an option-like value is no tool).
    ...(value.startsWith('-') ? [] : ['RUN']),
    ...['FROM', 'COPY', 'COPY'],
  ];
}

/** A value's build contexts, their RUN steps, and what the shell steps did in a sandbox of their own. */
interface RunCase {
  core: PlanCore;
  /** Every RUN instruction, shell or exec form. */
  runs: number;
  execBuilds: string[][];
  bodies: { kind: string; body: string }[];
  box: Sandbox;
  results: StepResult[];
}

function runCase(value: string, family: Family): RunCase {
  const core = hostileCore(value, family);
  const rendered = files(core);
  let runs = 0;
  const execBuilds: string[][] = [];
  const bodies: { kind: string; body: string }[] = [];
  for (const kind of ['toolchain', 'runtime']) {
    for (const instruction of instructions(rendered.get(`${kind}/Dockerfile`)!)) {
      if (!instruction.startsWith('RUN ')) continue;
      runs++;
      // Docker runs RUN with `sh -c` after its --mount flags.
      const rest = instruction.slice(4).replace(/^(--mount=\S+\s+(\\\n\s*)?)+/, '');
      // The builder stage has no shell: exec form, each argument one JSON string, never a shell word.
      if (rest.startsWith('[')) {
        execBuilds.push(JSON.parse(rest) as string[]);
        continue;
      }
      // Go is called by its path (the stub stands in).
      bodies.push({ kind, body: rest.replace(/\/usr\/local\/go\/bin\/go /g, 'go ') });
    }
  }
  return { core, runs, execBuilds, bodies, box: sandbox(), results: [] };
}

describe.each(['debian', 'rhel'] as const)('hostile values in a %s build context', (family) => {
  // Every value's steps run before the tests, from one process: spawns are most of the cost.
  let cases: PerValue<RunCase>;
  beforeAll(() => {
    cases = new PerValue(HOSTILE, (value) => runCase(value, family));
    const ran = runEachIn(cases.all().map((c) => ({ box: c.box, scripts: c.bodies.map((b) => b.body) })));
    cases.all().forEach((c, i) => (c.results = ran[i]));
  }, 120_000);
  afterAll(() => cases.all().forEach((c) => c.box.close()));

  it.each(HOSTILE.map((v) => [v]))('%s: every RUN step parses, runs inert, and passes it as one operand', (value) => {
    const { core, runs, execBuilds, bodies, box, results } = cases.of(value);
    bodies.forEach(({ kind, body }, i) => {
      const { syntax, run } = results[i];
      expect({ kind, body, syntax, status: run.status, stderr: run.stderr }).toEqual({
        kind,
        body,
        syntax: { status: 0, stderr: '' },
        status: 0,
        stderr: '',
      });
    });
    // Each Dockerfile: the builder's steps (the cache helper, the cache and its times, the probe,
    // each tool); toolchain: packages, user and cache, binaries (Go is a COPY); runtime: packages,
    // its root filesystem.
    expect(runs).toBe(2 * (4 + core.target.tools.length) + 3 + 2);
    expect(box.pwned()).toEqual([]);

    const install = box.calls(family === 'debian' ? 'apt-get' : 'yum').filter((argv) => argv[1] === 'install');
    expect(install).toHaveLength(2);
    if (value.startsWith('-')) return;
    // The toolchain's install gets the value as one package word; apt-get after `--`.
    const toolchainInstall = install[0];
    if (family === 'debian') expect(operands(toolchainInstall)).toEqual(['ca-certificates', value, 'tzdata']);
    else expect(toolchainInstall.slice(-3)).toEqual(['ca-certificates', value, 'tzdata']);
    const builds = [[...DEFAULT_WARM_PACKAGES], ['.'], ['/run/bake-cache-times', '/cache/go-build'], ['.'], [value]];
    expect(execBuilds.map((argv) => argv.slice(argv.indexOf('--') + 1))).toEqual([...builds, ...builds]);
    // Only the toolchain image runs useradd; the runtime's accounts are files bake writes.
    for (const name of ['groupadd', 'useradd']) expect(box.calls(name).map(operands)).toEqual([['gobuild']]);
  });

  it.each(HOSTILE.map((v) => [v]))(
    '%s: ENV and LABEL read back as the values, in the instructions they belong to',
    (value) => {
      const core = hostileCore(value, family);
      const rendered = files(core);
      for (const kind of ['toolchain', 'runtime'] as const) {
        const all = instructions(rendered.get(`${kind}/Dockerfile`)!);
        // Exactly the instructions of the template: no value started one of its own.
        expect(all.map((i) => i.split(/\s/)[0])).toEqual(
          kind === 'toolchain'
            ? [
                'ARG',
                'ARG',
                'ARG',
                'ARG',
                'ARG',
                ...builderInstructions(value),
                'FROM',
                'FROM',
                'FROM',
                'ARG',
                'RUN',
                'COPY',
                'RUN',
                'RUN',
                'FROM',
                'COPY',
                'ENV',
                'LABEL',
                'USER',
                'WORKDIR',
              ]
            : [
                'ARG',
                'ARG',
                'ARG',
                ...builderInstructions(value),
                'FROM',
                'ARG',
                'RUN',
                'WORKDIR',
                'RUN',
                'FROM',
                'COPY',
                'LABEL',
                'USER',
                'WORKDIR',
              ],
        );
        expect(pairs(all.find((i) => i.startsWith('LABEL '))!)).toEqual({ ...core.labels, 'io.bake.kind': kind });
        // The final stage's ENV (the builder stage has a fixed one of its own).
        if (kind === 'toolchain') expect(pairs(all.filter((i) => i.startsWith('ENV ')).pop()!)).toEqual(core.env);
      }
    },
  );
});

/** An image's profile.d script for one value, in a sandbox of its own, and how each shell read it. */
interface ProfileCase {
  box: Sandbox;
  file: string;
  results: ShellResult[];
}

const SHELLS = ['sh', 'bash'];

/** Per shell: the profile parsed (`-n`), then sourced as a login shell does, printing the values. */
function profileJobs({ box, file }: ProfileCase): Job[] {
  const print = POLICY_KEYS.map((k) => `printf '%s\\0' "$${k}"`).join('; ');
  return SHELLS.flatMap((shell) => [
    { box, argv: [shell, '-n', file] },
    { box, argv: [shell, '-c', `. "$1" && ${print}`, shell, file] },
  ]);
}

describe('hostile values in the Go environment files of an image', () => {
  // Every value's profile is parsed and sourced before the tests, from one process.
  let cases: PerValue<ProfileCase>;
  beforeAll(() => {
    cases = new PerValue(HOSTILE, (value) => {
      const profile = files(hostileCore(value, 'debian')).get('toolchain/policy/etc/profile.d/go-env.sh')!;
      const box = sandbox();
      const file = join(box.dir, 'go-env.sh');
      writeFileSync(file, profile);
      return { box, file, results: [] };
    });
    const ran = runJobsOf(cases.all(), profileJobs);
    cases.all().forEach((c, i) => (c.results = ran[i]));
  }, 120_000);
  afterAll(() => cases.all().forEach((c) => c.box.close()));

  it.each(HOSTILE.map((v) => [v]))(
    '%s: profile.d parses in sh and bash, and a login shell gets the value verbatim',
    (value) => {
      const { box, results } = cases.of(value);
      SHELLS.forEach((shell, i) => {
        const [syntax, read] = results.slice(2 * i, 2 * i + 2);
        expect({ shell, status: syntax.status, stderr: syntax.stderr }).toEqual({ shell, status: 0, stderr: '' });
        expect(read.stderr).toBe('');
        expect(read.stdout.split('\0').slice(0, -1)).toEqual(POLICY_KEYS.map(() => value));
      });
      expect(box.pwned()).toEqual([]);
    },
  );

  it.each(HOSTILE.map((v) => [v]))('%s: go.env holds it literally, one KEY=VALUE line per policy key', (value) => {
    const goEnv = files(hostileCore(value, 'debian')).get('toolchain/policy/usr/local/go/go.env')!;
    const lines = goEnv.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual(POLICY_KEYS.map((k) => `${k}=${value}`));
  });
});

describe('values no quoting can make safe are refused while rendering', () => {
  const render = (overrides: Partial<Target>) => () => renderContexts(fixtureCore(handMadeTarget(overrides)));

  it.each(['-rf', '--help', '-'])('a package named %s (it would be an option of yum or dnf)', (name) => {
    expect(render({ packages: [name] })).toThrow(/starts with "-"/);
  });

  it('a Go tool package that starts with "-"', () => {
    expect(render({ tools: [{ name: 'tool', package: '-toolexec' }] })).toThrow(/starts with "-"/);
  });

  it.each(['../escape', 'a/b', '$(touch PWNED)', ''])('a tool named %j (it must be one file in /out)', (name) => {
    expect(render({ tools: [{ name, package: 'cmd/vet' }] })).toThrow(/plain file name/);
  });

  it.each(['$(touch PWNED)', '-rf', 'a b', '../../etc', 'Root', 'x\nRUN touch PWNED'])(
    'a build user named %j (HOME goes unquoted into WORKDIR)',
    (name) => {
      expect(render({ user: { name, uid: 10001, gid: 10001 } })).toThrow(/POSIX user name/);
    },
  );

  it.each([Number.NaN, -1, 1.5])('a build uid of %s', (uid) => {
    expect(render({ user: { name: 'gobuild', uid, gid: 10001 } })).toThrow(/uid/);
  });

  it.each(['x\nRUN touch PWNED', 'x\rRUN touch PWNED', 'x\u0000'])(
    'a line break or control character in a value (%j)',
    (value) => {
      expect(render({ name: value })).toThrow(/line break or control character/);
      expect(render({ env: { ...handMadeTarget().env, GOPRIVATE: value } })).toThrow(/line break or control character/);
      expect(render({ recipe: value })).toThrow(/line break or control character/);
    },
  );

  it('covers every hostile value in both families (the other tests are parametrised over this list)', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(20);
    expect(HOSTILE_WORDS.length).toBe(HOSTILE.length - 2);
  });
});
