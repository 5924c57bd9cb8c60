import { scratchDir } from '../scratch-dir';
// Hostile values in every recipe field that reaches a VM template's generated files, rendered
// without the recipe check: the provisioning script parsed by bash and its steps run with stubbed
// commands in a scratch directory, the environment files sourced back, go-env.service checked
// against systemd's own parser, the CDKTF stack checked for anything Terraform would evaluate.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import type { Target } from '../../../bake/recipe/types';
import type { ProvisionInput } from '../../../bake/vm/types';
import { POLICY_KEYS } from '../../../bake/plan/go-environment';
import { BuilderStack } from '../../../bake/vm/ec2/builder-stack';
import { amiName, builderName, vettedAmiParameter } from '../../../bake/vm/ec2/builder-names';
import { goEnvUnit, renderGoEnvUnit } from '../../../bake/vm/provision/provision-files';
import { renderProvisionScript } from '../../../bake/vm/provision/provision-script';
import { encodeUserData } from '../../../bake/vm/ec2/user-data';
import { vmPackages } from '../../../bake/vm/provision/vm-packages';
import { fixtureGo, handMadeTarget } from '../render/render-fixtures';
import {
  HOSTILE,
  operands,
  PerValue,
  runJobsOf,
  sandbox,
  stubFunctions,
  type Sandbox,
  type ShellResult,
} from '../render/hostile-fixtures';
import { provisionInput } from './vm-fixtures';

/** Recipe service names that are valid unit names and still hostile to a command line. */
const HOSTILE_UNITS = ['-rf', '--help', '-.x', '\\', 'a\\x2db'];

function hostileTarget(value: string, family: 'debian' | 'rhel'): Target {
  const base = handMadeTarget();
  return handMadeTarget({
    name: value,
    recipe: value,
    family,
    packages: value.startsWith('-') ? ['ca-certificates'] : ['ca-certificates', value],
    env: Object.fromEntries(POLICY_KEYS.map((k) => [k, value])) as Target['env'],
    vm: {
      ...base.vm,
      selinux: family === 'rhel' ? 'enforcing' : 'none',
      services: { enable: HOSTILE_UNITS.slice(0, 3), disable: HOSTILE_UNITS.slice(3) },
    },
  });
}

function hostileInput(value: string, family: 'debian' | 'rhel') {
  const target = hostileTarget(value, family);
  const go = { ...fixtureGo(target), version: value };
  const goUrl = /\s/.test(value) ? undefined : `https://go.example/${value}`;
  return provisionInput(target, { go, goUrl, env: { ...provisionInput(target).env } });
}

// systemctl as on a booted host: logged like the other stubs, what it enabled recorded (for
// unit_enabled below), every unit inactive.
const SYSTEMCTL_STUB =
  `systemctl() { stub_log systemctl "$@"; ` +
  `case $1 in enable) printf '%s\\n' "\${@: -1}" >>"$PWD/enabled" ;; is-active) return 1 ;; esac; return 0; }`;

// The script's definitions (settings, library, file writers) without `main`, and in place of
// what touches the host: files land in ./root (see written), units are looked up in ./units,
// systemctl's stub records what it enabled. Every other command is a logging stub (a function,
// or on PATH). Forks are what these runs cost, so the stand-ins start as few processes as they
// can: no mkdir (./root is flat), a loop and not grep, and a file's first 2 KB read by the shell
// (cat takes the rest: read takes a byte at a time from a pipe, and a here-document is one).
const DRIVER = `
STATE_DIR=$PWD/state; GO_ARCHIVE=$PWD/cache/$GO_FILENAME; SYSTEMD_RUNNING=1
write_file() {
  local head file="$PWD/root/\${1//\\//%}"
  if IFS= read -r -N 2048 head; then { printf '%s' "$head"; cat; } >"$file"; else printf '%s' "$head" >"$file"; fi
  CHANGES=$((CHANGES + 1))
}
unit_path() { printf '%s\\n' "$PWD/units/$1"; }
unit_enabled() {
  local line
  [ -f "$PWD/enabled" ] || return 1
  while IFS= read -r line; do [ "$line" != "$1" ] || return 0; done <"$PWD/enabled"
  return 1
}
${SYSTEMCTL_STUB}
install_packages "\${PACKAGES[@]}"
[ -n "$GO_URL" ] || { mkdir -p "\${GO_ARCHIVE%/*}"; : >"$GO_ARCHIVE"; } # a host that holds the archive already
fetch_go_archive
ensure_build_user
write_go_environment
write_units
for unit in "\${SERVICES_ENABLE[@]}"; do enable_unit "$unit"; done
for unit in "\${SERVICES_DISABLE[@]}"; do disable_unit "$unit"; done
printf '%s\\n' "\${GO_ENV_WANT[@]}" | go_env_mismatch "the test"
`;

function definitions(script: string): string {
  return script.slice(script.indexOf('\nTARGET='), script.indexOf('\nmain() {'));
}

/** Where DRIVER's write_file put the file the script writes at `path`: ./root, `/` as `%`. */
const written = (box: Sandbox, path: string) => join(box.dir, 'work', 'root', path.replaceAll('/', '%'));

/** The files sh reads the policy values back from. */
const ENV_FILES = ['/etc/default/go-env', '/etc/profile.d/go-env.sh'];

/** A value's provisioning script, in a sandbox of its own, and what bash and sh made of it. */
interface ProvisionCase {
  input: ProvisionInput;
  script: string;
  box: Sandbox;
  /** `bash -n` of the script. */
  syntax?: ShellResult;
  /** Its steps, run by DRIVER. */
  run?: ShellResult;
  /** sh sourcing each of ENV_FILES and printing the policy values, NUL-terminated. */
  readBack: ShellResult[];
}

function provisionCase(value: string, family: 'debian' | 'rhel'): ProvisionCase {
  const input = hostileInput(value, family);
  const script = renderProvisionScript(input);
  const box = sandbox();
  mkdirSync(join(box.dir, 'work', 'root'));
  return { input, script, box, readBack: [] };
}

describe.each(['debian', 'rhel'] as const)('hostile values in the %s provisioning script', (family) => {
  // Every value's script runs before the tests, from one process: spawns are most of the cost.
  let cases: PerValue<ProvisionCase>;
  beforeAll(() => {
    cases = new PerValue(HOSTILE, (value) => provisionCase(value, family));
    const ran = runJobsOf(cases.all(), ({ box, script }) => [
      { box, argv: ['bash', '-n', '-c', script] },
      {
        box,
        argv: ['bash', '-c', `${stubFunctions('bash')}\nset -Eeuo pipefail\n${definitions(script)}\n${DRIVER}`, 'bash'],
      },
    ]);
    // What the steps wrote, read back once they are all done.
    const print = POLICY_KEYS.map((k) => `printf '%s\\0' "$${k}"`).join('; ');
    const read = runJobsOf(cases.all(), ({ box }) =>
      ENV_FILES.map((file) => ({
        box,
        argv: ['sh', '-c', `. "$1"; ${print}`, 'sh', written(box, file)],
      })),
    );
    cases.all().forEach((c, i) => {
      [c.syntax, c.run] = ran[i];
      c.readBack = read[i];
    });
  }, 120_000);
  afterAll(() => cases.all().forEach((c) => c.box.close()));

  it.each(HOSTILE.map((v) => [v]))(
    '%s: bash parses it, its steps run inert, each value arrives as one operand',
    (value) => {
      const { input, box, syntax, run, readBack } = cases.of(value);
      expect({ status: syntax!.status, stderr: syntax!.stderr }).toEqual({ status: 0, stderr: '' });

      expect({ status: run!.status, stderr: run!.stderr }).toEqual({ status: 0, stderr: '' });

      const packages = vmPackages(input.target);
      const query = family === 'debian' ? 'dpkg-query' : 'rpm';
      expect(box.calls(query).map(operands)).toEqual(packages.map((p) => [p]));
      // dnf where it exists (the stubs have it), as on Rocky 9.
      const install = box.calls(family === 'debian' ? 'apt-get' : 'dnf').filter((argv) => argv[1] === 'install');
      // apt-get after `--`; yum without it (bake refuses names starting with "-" for it).
      expect(install.map((argv) => (family === 'debian' ? operands(argv) : argv.slice(-packages.length)))).toEqual([
        packages,
      ]);
      expect(box.calls('curl').map(operands)).toEqual(input.goUrl ? [[input.goUrl]] : []);
      for (const name of ['getent', 'groupadd', 'useradd', 'id'])
        for (const argv of box.calls(name)) expect(operands(argv).at(-1)).toBe('gobuild');
      const units = HOSTILE_UNITS.map((u) => `${u}.service`);
      expect(
        box
          .calls('systemctl')
          .filter((a) => a[1] === 'enable')
          .map(operands),
      ).toEqual(units.slice(0, 3).map((u) => [u]));
      expect(
        box
          .calls('systemctl')
          .filter((a) => a[1] === 'start')
          .map(operands),
      ).toEqual(units.slice(0, 3).map((u) => [u]));
      expect(
        box
          .calls('systemctl')
          .filter((a) => a[1] === 'is-active')
          .map(operands),
      ).toEqual(units.map((u) => [u]));
      // go_env_mismatch printed nothing: the values the script compares with are the plan's, whole.
      expect(run!.stdout.split('\n').filter((l) => !l.startsWith('bake-provision: '))).toEqual(['']);

      // What it wrote reads back as the values: the unit byte for byte, the environment through sh.
      expect(readFileSync(written(box, '/etc/systemd/system/go-env.service'), 'utf8')).toBe(goEnvUnit().content);
      ENV_FILES.forEach((file, i) => {
        expect({ file, stderr: readBack[i].stderr, values: readBack[i].stdout.split('\0').slice(0, -1) }).toEqual({
          file,
          stderr: '',
          values: POLICY_KEYS.map(() => value),
        });
      });
      expect(readFileSync(written(box, '/usr/local/go/go.env'), 'utf8')).toContain(
        POLICY_KEYS.map((k) => `${k}=${value}`).join('\n'),
      );
      // Nothing ran: not in the steps, not in the read-backs.
      expect(box.pwned()).toEqual([]);
    },
  );
});

describe('values no quoting can make safe are refused while rendering the provisioning script', () => {
  const render =
    (target: Target, overrides = {}) =>
    () =>
      renderProvisionScript(provisionInput(target, overrides));
  const base = handMadeTarget();

  it.each(['$(touch PWNED)', 'a/b', '../../etc/passwd', 'a b', '*', '.hidden', ''])(
    'a service named %j (not a systemd unit name)',
    (name) => {
      expect(render(handMadeTarget({ vm: { ...base.vm, services: { enable: [name], disable: [] } } }))).toThrow(
        /not a systemd unit name/,
      );
    },
  );

  it.each(['x/;e touch PWNED;s/', 'enforcing; touch PWNED'])(
    'a SELinux mode %j (it goes into sed and grep)',
    (mode) => {
      expect(render(handMadeTarget({ vm: { ...base.vm, selinux: mode as 'none' } }))).toThrow(/SELinux mode/);
    },
  );

  it.each(['--config=/etc/passwd', '-K/etc/shadow', 'file:///etc/passwd', 'https://go.example/a b'])(
    'a Go URL %j',
    (goUrl) => {
      expect(render(base, { goUrl })).toThrow(/not an http\(s\) URL/);
    },
  );

  it.each(['-rf', '--help'])('a package named %s', (name) => {
    expect(render(handMadeTarget({ packages: [name] }))).toThrow(/starts with "-"/);
  });

  it('a Go archive name that is not goX.Y.Z.linux-ARCH.tar.gz', () => {
    expect(render(base, { go: { ...fixtureGo(base), filename: '../x;touch PWNED' } })).toThrow(/Go archive name/);
  });
});

// systemd's reading of a command line, as documented: C-style escapes in double quotes, `%%` to
// one `%`, and in the arguments (not the executable's path) `$$` to one `$`. Independent of
// the code under test; systemd-analyze below is the authority where it is installed.
function systemdWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const raw = (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]).replace(/%%/g, '%');
    words.push(words.length > 0 ? raw.replace(/\$\$/g, '$') : raw);
  }
  return words;
}

describe('hostile values in go-env.service', () => {
  const template = readFileSync(join(__dirname, '../../../images/vm/go-env.service.tmpl'), 'utf8');
  let box: Sandbox;
  const pathsOf = (value: string) => ({
    environmentFile: `${box.dir}/env ${value}/go-env`,
    goroot: `${box.dir}/go ${value}`,
  });
  // A unit name per value: systemd-analyze reads only the first of two units of one name.
  const unitFile = (value: string) => join(box.dir, `go-env-${(HOSTILE as readonly string[]).indexOf(value)}.service`);
  // systemd-analyze verifies every value's unit in one run (a run costs far more than a unit); a
  // value's unit is verified alone only when that run has something to say.
  let together: SpawnSyncReturns<string>;
  const verify = (value: string) =>
    together.status === 0 && together.stderr === ''
      ? together
      : spawnSync('systemd-analyze', ['verify', unitFile(value)], { encoding: 'utf8' });

  beforeAll(() => {
    box = sandbox();
    const units = HOSTILE.flatMap((value) => {
      const { environmentFile, goroot } = pathsOf(value);
      let unit: string;
      try {
        unit = renderGoEnvUnit(template, { environmentFile, goroot });
      } catch {
        return []; // refused: its test says whether it should have been
      }
      // The Go binary systemd must find at the path it reads.
      const bin = join(goroot, 'bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, 'go'), '#!/bin/sh\n');
      chmodSync(join(bin, 'go'), 0o755);
      writeFileSync(unitFile(value), unit);
      return [unitFile(value)];
    });
    together = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8' });
  });
  afterAll(() => box.close());

  it.each(HOSTILE.map((v) => [v]))('%s in the paths round-trips through systemd quoting', (value) => {
    const { environmentFile, goroot } = pathsOf(value);
    if (/["'\\]/.test(value)) {
      // systemd takes no quote or backslash in an executable's path, escaped or not.
      expect(() => renderGoEnvUnit(template, { environmentFile, goroot })).toThrow(/quote or backslash/);
      return;
    }
    const unit = renderGoEnvUnit(template, { environmentFile, goroot });
    const line = (key: string) =>
      unit
        .split('\n')
        .find((l) => l.startsWith(`${key}=`))!
        .slice(key.length + 1);
    expect(systemdWords(line('ExecStart'))).toEqual([`${goroot}/bin/go`, 'version']);
    expect(line('EnvironmentFile').replace(/%%/g, '%')).toBe(`-${environmentFile}`);
    // No value adds a line of its own: the unit has the template's lines, no more.
    expect(unit.split('\n')).toHaveLength(template.split('\n').length);

    // systemd itself: it finds the Go binary only if it reads the path exactly as written.
    expect(readFileSync(unitFile(value), 'utf8')).toBe(unit);
    const verified = verify(value);
    if (verified.error) return; // no systemd-analyze here: the documented rules above must do
    expect({ status: verified.status, stderr: verified.stderr }).toEqual({ status: 0, stderr: '' });
    expect(box.pwned()).toEqual([]);
  });

  it('refuses what a unit line cannot carry: relative paths, line breaks, a trailing backslash', () => {
    expect(() => renderGoEnvUnit(template, { environmentFile: 'etc/go-env', goroot: '/usr/local/go' })).toThrow(
      /absolute path/,
    );
    expect(() =>
      renderGoEnvUnit(template, {
        environmentFile: '/etc/go-env\nExecStartPre=/bin/touch /PWNED',
        goroot: '/usr/local/go',
      }),
    ).toThrow(/line break/);
    expect(() => renderGoEnvUnit(template, { environmentFile: '/etc/go-env\\', goroot: '/usr/local/go' })).toThrow(
      /trailing backslash/,
    );
    expect(() => renderGoEnvUnit(template, { environmentFile: '/etc/go-env', goroot: '-/usr/local/go' })).toThrow(
      /absolute path/,
    );
  });
});

/** `${...}` and `%{...}` that Terraform would evaluate in a string (`$${`, `%%{` are literal). */
function templateSequences(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if ((s[i] === '$' || s[i] === '%') && s[i + 1] === s[i] && s[i + 2] === '{') {
      i += 2;
      continue;
    }
    if ((s[i] === '$' || s[i] === '%') && s[i + 1] === '{') out.push(s.slice(i, s.indexOf('}', i) + 1));
  }
  return out;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** The stack's own references: the only interpolations it may contain. */
const OWN_REFERENCE = /^\$\{(data\.)?aws_[a-z_]+\.[a-z_]+\.[a-z_]+\}$/;

describe('hostile values in the CDKTF stack', () => {
  it.each(HOSTILE.map((v) => [v]))(
    '%s reaches Terraform as text: nothing in the stack is evaluated but its own references',
    (value) => {
      const base = handMadeTarget();
      const target = handMadeTarget({
        vm: { ...base.vm, sourceAmi: { name: value, owners: [value], architecture: 'x86_64' }, instanceType: value },
      });
      const script = renderProvisionScript(provisionInput(target));
      const stack = JSON.parse(
        Testing.synth(
          new BuilderStack(Testing.app({ outdir: scratchDir('bake-cdktf-') }), 'hostile', {
            target,
            userData: encodeUserData(script),
            goVersion: '1.22.12',
            region: value,
          }),
        ),
      );
      const evaluated = strings(stack)
        .flatMap(templateSequences)
        .filter((s) => !OWN_REFERENCE.test(s));
      expect(evaluated).toEqual([]);
      // And it is the value again once Terraform has read its escapes.
      const literal = (s: string) => s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
      const filters = stack.data.aws_ami.source_ami.filter as { name: string; values: string[] }[];
      expect(literal(filters.find((f) => f.name === 'name')!.values[0])).toBe(value);
      expect(stack.data.aws_ami.source_ami.owners.map(literal)).toEqual([value]);
      expect(literal(stack.resource.aws_instance.builder.instance_type)).toBe(value);
      expect(literal(stack.provider.aws[0].region)).toBe(value);
    },
  );

  it.each(['${path.root}', '%{ if true }x%{ endif }', 'a b', 'x'.repeat(60), "it's"])(
    'refuses a target name %j that no IAM role, tag or SSM parameter could carry',
    (name) => {
      const target = handMadeTarget({ name });
      const userData = encodeUserData('#!/bin/bash\n');
      expect(
        () =>
          new BuilderStack(Testing.app({ outdir: scratchDir('bake-cdktf-') }), 'hostile', {
            target,
            userData,
            goVersion: '1.22.12',
          }),
      ).toThrow(/not valid for AWS/);
    },
  );

  it('keeps AWS names within AWS rules or refuses them', () => {
    expect(builderName({ name: 'debian12-amd64' })).toBe('bake-builder-debian12-amd64');
    expect(() => builderName({ name: 'x'.repeat(52) })).toThrow(/up to 64/);
    expect(() => vettedAmiParameter({ name: 'a b' })).toThrow(/SSM parameter name/);
    expect(() => amiName({ name: '${x}' }, '1.22.12', new Date(0))).toThrow(/AMI name/);
  });
});
