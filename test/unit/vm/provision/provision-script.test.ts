import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderContexts } from '../../../../bake/render/render-contexts';
import { HEREDOC_END } from '../../../../bake/vm/provision/heredoc';
import { environmentFiles, goEnvUnit } from '../../../../bake/vm/provision/provision-files';
import { renderProvisionScript } from '../../../../bake/vm/provision/provision-script';
import { decodeUserData, encodeUserData, USER_DATA_MAX_BYTES } from '../../../../bake/vm/ec2/user-data';
import { fixtureCore, handMadeTarget, shippedTargets } from '../../render/render-fixtures';
import { provisionInput } from '../vm-fixtures';

/** The value a rendered `NAME=...` setting gives bash, read back by bash itself. */
function settingsOf(script: string, names: string[]): Record<string, string> {
  const settings = script.slice(script.indexOf('\nTARGET='), script.indexOf('\nSTATE_DIR='));
  const print = names.map((n) => `printf '%s\\0' "\${${n}[*]}"`).join('; ');
  const out = execFileSync('bash', ['-c', `${settings}\n${print}`], { encoding: 'utf8' }).split('\0');
  return Object.fromEntries(names.map((n, i) => [n, out[i]]));
}

describe('renderProvisionScript', () => {
  it(
    'renders a bash script for every shipped target that bash parses, ' + 'and that fits in EC2 user data gzipped',
    async () => {
      for (const target of await shippedTargets()) {
        const script = renderProvisionScript(provisionInput(target));
        expect(script.startsWith('#!/bin/bash\n')).toBe(true);
        const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
        expect({ target: target.name, status: syntax.status, stderr: syntax.stderr }).toEqual({
          target: target.name,
          status: 0,
          stderr: '',
        });
        const userData = encodeUserData(script);
        expect(userData.bytes.length).toBeLessThan(USER_DATA_MAX_BYTES);
        expect(decodeUserData(userData.bytes)).toBe(script);
      }
    },
  );

  it(
    'carries the plan: the verified archive, its sha256, ' + 'the go binary hash, the recipe services and SELinux mode',
    async () => {
      const targets = await shippedTargets();
      const rocky = provisionInput(targets.find((t) => t.name === 'rocky9-arm64')!);
      const values = settingsOf(renderProvisionScript(rocky), [
        'GO_FILENAME',
        'GO_SHA256',
        'GO_BINARY_SHA256',
        'GO_URL',
        'SELINUX_MODE',
        'SERVICES_ENABLE',
        'SERVICES_DISABLE',
        'CHRONY_UNIT',
        'PACKAGES',
        'CA_BUNDLE',
      ]);
      expect(values).toEqual({
        GO_FILENAME: 'go1.27.4.linux-arm64.tar.gz',
        GO_SHA256: rocky.go.sha256,
        GO_BINARY_SHA256: rocky.goBinarySha256,
        GO_URL: rocky.goUrl,
        SELINUX_MODE: 'enforcing',
        SERVICES_ENABLE: 'chronyd.service',
        SERVICES_DISABLE: 'postfix.service tuned.service avahi-daemon.service rpcbind.service',
        CHRONY_UNIT: 'chronyd.service',
        PACKAGES: 'ca-certificates git tzdata chrony curl openssl policycoreutils selinux-policy-targeted',
        CA_BUNDLE: '/etc/pki/tls/certs/ca-bundle.crt',
      });
      const debian = settingsOf(
        renderProvisionScript(provisionInput(targets.find((t) => t.name === 'debian12-amd64')!)),
        ['SELINUX_MODE', 'CHRONY_UNIT', 'PACKAGES'],
      );
      expect(debian).toEqual({
        SELINUX_MODE: 'none',
        CHRONY_UNIT: 'chrony.service',
        PACKAGES: 'ca-certificates git tzdata chrony curl openssl',
      });
    },
  );

  it('uses the package manager of the family', async () => {
    const targets = await shippedTargets();
    expect(renderProvisionScript(provisionInput(targets.find((t) => t.name === 'rocky9-amd64')!))).toContain(
      'rpm -q -- "$p"',
    );
    expect(renderProvisionScript(provisionInput(targets.find((t) => t.name === 'ubuntu2404-amd64')!))).toContain(
      "dpkg-query -W -f='${Status}\\n'",
    );
  });

  it(
    'writes the very files the container images carry, byte for byte, ' + 'plus /etc/default/go-env and go-env.service',
    async () => {
      const target = (await shippedTargets()).find((t) => t.name === 'debian12-amd64')!;
      const script = renderProvisionScript(provisionInput(target));
      const toolchain = renderContexts(fixtureCore(target)).find((c) => c.kind === 'toolchain')!;
      const imageFile = (path: string) => toolchain.files.find((f) => f.path === path)!.content.toString('utf8');
      const written = (path: string) =>
        new RegExp(
          `write_file ${path.replace(/[/.]/g, '\\$&')} 0644 <<'${HEREDOC_END}'\\n([\\s\\S]*?)${HEREDOC_END}\\n`,
        ).exec(script)?.[1];
      expect(written('/etc/profile.d/go-env.sh')).toBe(imageFile('policy/etc/profile.d/go-env.sh'));
      expect(written('/usr/local/go/go.env')).toBe(imageFile('policy/usr/local/go/go.env'));
      expect(written('/etc/default/go-env')).toBe(
        environmentFiles(fixtureCore(target).env).find((f) => f.path === '/etc/default/go-env')!.content,
      );
      expect(written('/etc/systemd/system/go-env.service')).toBe(goEnvUnit().content);
    },
  );

  it('quotes every value: a hostile policy value stays one literal word, in the settings and in the files', () => {
    const hostile = `corp.example/it's,$(touch /tmp/pwned),\`id\`,"q",$HOME`;
    const target = handMadeTarget();
    const input = provisionInput(target);
    input.env = { ...input.env, GOPRIVATE: hostile };
    const script = renderProvisionScript(input);
    const settings = script.slice(script.indexOf('\nTARGET='), script.indexOf('\nSTATE_DIR='));
    const want = execFileSync('bash', ['-c', `${settings}\nprintf '%s' "\${GO_ENV_WANT[2]}"`], { encoding: 'utf8' });
    expect(want).toBe(hostile);
    // The environment file reads back the same through sh.
    const dir = mkdtempSync(join(tmpdir(), 'bake-vm-'));
    try {
      const file = join(dir, 'go-env');
      writeFileSync(file, environmentFiles(input.env).find((f) => f.path === '/etc/default/go-env')!.content);
      expect(
        execFileSync('sh', ['-c', '. "$1" && printf %s "$GOPRIVATE"', 'sh', file], { env: {}, encoding: 'utf8' }),
      ).toBe(hostile);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a value with a line break, which would end its line in every file', () => {
    const input = provisionInput(handMadeTarget());
    input.env = { ...input.env, GOFLAGS: '-mod=readonly\nrm -rf /' };
    expect(() => renderProvisionScript(input)).toThrow(/line break/);
  });
});
