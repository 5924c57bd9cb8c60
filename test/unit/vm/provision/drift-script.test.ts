import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readTree, treeListing } from '../../../../bake/drift/tree-listing';
import { readImageFile } from '../../../../bake/render/image-files';
import { DRIFT_SCRIPT_PATH, driftFiles, renderDriftScript } from '../../../../bake/vm/provision/drift-script';
import { renderProvisionScript } from '../../../../bake/vm/provision/provision-script';
import { shippedTargets } from '../../render/render-fixtures';
import { scratchDir } from '../../scratch-dir';
import { provisionInput } from '../vm-fixtures';

/** The shell library of the drift script, loaded in a plain bash to call its functions one by one. */
const LIBRARY = ['common.sh', 'drift.sh'].map((f) => readImageFile(`vm/lib/${f}`).toString('utf8')).join('\n');
const bash = (script: string) =>
  execFileSync('bash', ['-c', `export LC_ALL=C STATE_DIR=/nonexistent\n${LIBRARY}\n${script}`], { encoding: 'utf8' });

function settingsOf(script: string, names: string[]): Record<string, string> {
  const settings = script.slice(script.indexOf('\nTARGET='), script.indexOf('\nSTATE_DIR='));
  const print = names.map((n) => `printf '%s\\0' "\${${n}[*]}"`).join('; ');
  const out = execFileSync('bash', ['-c', `${settings}\n${print}`], { encoding: 'utf8' }).split('\0');
  return Object.fromEntries(names.map((n, i) => [n, out[i]]));
}

test('the drift script of every shipped target is one bash script that bash parses', async () => {
  for (const target of await shippedTargets()) {
    const script = renderDriftScript({ target });
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect({ target: target.name, status: syntax.status, stderr: syntax.stderr }).toEqual({
      target: target.name,
      status: 0,
      stderr: '',
    });
    expect(script).toMatch(/\ndrift_main "\$@"\n$/);
  }
});

test('it compares the policy files, the units and the services of its recipe, the timer included', async () => {
  const target = (await shippedTargets()).find((t) => t.name === 'rocky9-amd64')!;
  const s = settingsOf(renderDriftScript({ target }), ['TARGET', 'BUILD_USER', 'DRIFT_FILES', 'DRIFT_UNITS']);
  expect(s.TARGET).toBe('rocky9-amd64');
  expect(s.DRIFT_FILES.split(' ')).toEqual([
    '/etc/profile.d/go-env.sh',
    '/usr/local/go/go.env',
    '/etc/default/go-env',
    '/etc/systemd/system/go-env.service',
    '/etc/systemd/system/bake-drift.service',
    '/etc/systemd/system/bake-drift.timer',
    DRIFT_SCRIPT_PATH,
  ]);
  const units = s.DRIFT_UNITS.split(' ');
  expect(units[0]).toBe('go-env.service');
  expect(units).toContain('chronyd.service');
  expect(units).toContain('bake-drift.timer');
  for (const unit of target.vm.services.disable) expect(units.join(' ')).toContain(unit);
  expect(new Set(units).size).toBe(units.length);
});

test('provisioning installs the script, its unit and a daily timer; records the baseline before checks', async () => {
  const target = (await shippedTargets()).find((t) => t.name === 'debian12-amd64')!;
  const script = renderProvisionScript(provisionInput(target));
  const files = driftFiles({ target });
  expect(files.map((f) => [f.path, f.mode])).toEqual([
    [DRIFT_SCRIPT_PATH, '0755'],
    ['/etc/systemd/system/bake-drift.service', '0644'],
    ['/etc/systemd/system/bake-drift.timer', '0644'],
  ]);
  for (const f of files)
    expect(script).toContain(`write_file ${f.path} ${f.mode} <<'BAKE_FILE_END'\n${f.content}BAKE_FILE_END`);
  expect(files[1].content).toContain(`ExecStart=${DRIFT_SCRIPT_PATH} check\n`);
  expect(files[2].content).toMatch(/OnCalendar=daily\n[\s\S]*\[Install\]\nWantedBy=timers.target\n/);
  const main = script.slice(script.indexOf('\nmain() {'));
  expect(main.indexOf('enable_unit "$DRIFT_TIMER"')).toBeGreaterThan(main.indexOf('enable_unit go-env.service'));
  expect(main.indexOf('"$DRIFT_SCRIPT" record')).toBeLessThan(main.indexOf('run_checks'));
  expect(main.indexOf('"$DRIFT_SCRIPT" record')).toBeGreaterThan(main.indexOf('configure_selinux'));
});

test('the shell lists a tree as bake lists it from a tar: the same hashes on hosts and in catalogs', async () => {
  const dir = scratchDir('bake-drift-tree-');
  const root = join(dir, 'go');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'src', 'with space'), { recursive: true });
  writeFileSync(join(root, 'bin', 'go'), 'binary');
  chmodSync(join(root, 'bin', 'go'), 0o755);
  writeFileSync(join(root, 'bin', 'Zed'), 'upper case sorts first');
  writeFileSync(join(root, 'src', 'with space', 'ä.go'), 'package x\n');
  writeFileSync(join(root, 'setuid'), '');
  chmodSync(join(root, 'setuid'), 0o4755);
  symlinkSync('bin/go', join(root, 'link'));
  bash(`tree_listing ${JSON.stringify(root)} ${JSON.stringify(join(dir, 'out'))}`);
  const tarred = execFileSync('tar', ['-C', dir, '--numeric-owner', '-cf', '-', 'go'], { maxBuffer: 1 << 24 });
  const fromTar = treeListing(await readTree(Readable.from([tarred]), { prefix: 'go' }));
  expect(readFileSync(join(dir, 'out.meta'), 'utf8')).toBe(fromTar.meta);
  expect(readFileSync(join(dir, 'out.sums'), 'utf8')).toBe(fromTar.sums);
  expect(fromTar.meta).toContain('l 777 0 0 link -> bin/go\n');
});

test('looser: write for group or others, setuid, or an owner other than root; a tighter mode is not', () => {
  const looser = (a: string, b: string) => bash(`looser '${a}' '${b}' && echo yes || echo no`).trim();
  expect(looser('type=f mode=644 uid=0 gid=0', 'type=f mode=646 uid=0 gid=0')).toBe('yes');
  expect(looser('type=f mode=644 uid=0 gid=0', 'type=f mode=664 uid=0 gid=0')).toBe('yes');
  expect(looser('type=f mode=755 uid=0 gid=0', 'type=f mode=4755 uid=0 gid=0')).toBe('yes');
  expect(looser('type=f mode=644 uid=0 gid=0', 'type=f mode=644 uid=10001 gid=0')).toBe('yes');
  expect(looser('type=f mode=644 uid=0 gid=0', 'type=f mode=600 uid=0 gid=0')).toBe('no');
  expect(looser('sha256=aa mode=644 uid=0 gid=0', 'sha256=bb mode=644 uid=0 gid=0')).toBe('no');
});

test('go env -json becomes one record per variable, volatile ones left out, escapes kept as go printed them', () => {
  const json =
    '{\n\t"GOPROXY": "https://proxy.golang.org,direct",\n\t"GOGCCFLAGS": "-fdebug-prefix-map=/tmp/x",\n\t"GOFLAGS": "-ldflags=\\"-s\\"",\n\t"GOROOT": "/usr/local/go"\n}\n';
  expect(bash(`go_env_records go.env <<'EOF'\n${json}EOF`)).toBe(
    'go.env:GOPROXY\thttps://proxy.golang.org,direct\ngo.env:GOFLAGS\t-ldflags=\\"-s\\"\ngo.env:GOROOT\t/usr/local/go\n',
  );
});
