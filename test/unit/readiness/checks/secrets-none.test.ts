import { generateKeyPairSync } from 'node:crypto';
import { silentLogger } from '../../../../bake/common/log';
import { secretsNoneCheck } from '../../../../bake/readiness/checks/secrets-none';
import { containsPemPrivateKey, redactSecrets, secretKindsIn } from '../../../../bake/readiness/secret-patterns';
import { expectations, FakeDriver } from '../fake-driver';

// Secrets are made at test time: nothing token-shaped is committed for scanners to trip on.
const githubToken = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const awsKeyId = `AKIA${'Z9Y8X7W6V5U4T3S2'}`;
const privateKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const rsaKey = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ format: 'pem', type: 'pkcs1' })
  .toString();
const exp = expectations();

const clean = () =>
  new FakeDriver()
    .withConfig({
      env: { PATH: '/usr/bin', GOSUMDB: 'sum.golang.org', GONOSUMDB: '' },
      labels: { 'io.bake.target': 'debian12-amd64' },
      history: [{ createdBy: 'RUN /bin/sh -c apt-get update', size: 1 }],
    })
    .withLayers([
      { path: '/etc/passwd', content: 'root:x:0:0::/root:/bin/bash\n' },
      { path: '/usr/lib/x86_64-linux-gnu/libcrypto.so.3', content: 'junk -----BEGIN PRIVATE KEY----- junk' },
      { path: '/home/gobuild/.netrc', content: '' },
      // Go's own sources hold public test keys; testdata anywhere is fixtures.
      { path: '/usr/local/go/src/crypto/tls/handshake_test.go', content: privateKey },
      { path: '/home/gobuild/go/pkg/mod/example.com/x@v1/testdata/key.pem', content: privateKey },
    ]);

describe('secrets.none', () => {
  test('passes on a clean image, ignoring bare PEM markers, empty files, GOROOT and testdata', async () => {
    const r = await secretsNoneCheck.run(clean(), exp, silentLogger);
    expect(r).toMatchObject({ status: 'pass' });
    expect(r.evidence[1]?.command).toMatch(/^scan layer files: 5 entries in 1 layers, content of 2 small files/);
  });

  test('finds credentials in env, labels, history and files, and never prints them', async () => {
    const d = new FakeDriver()
      .withConfig({
        env: { GITHUB_TOKEN: 'x'.repeat(40), GOPROXY: 'https://bot:hunter2@proxy.corp.example/,direct' },
        labels: { 'built-with': awsKeyId },
        history: [{ createdBy: `RUN |1 NPM_TOKEN=${githubToken} /bin/sh -c npm ci`, size: 10 }],
      })
      .withLayers([
        { path: '/root/.netrc', content: 'machine example.com login a password b\n', layer: 'layer 2' },
        { path: '/root/.ssh/id_ed25519', content: privateKey },
        { path: '/etc/app/server.key', content: rsaKey },
        { path: '/root/.docker/config.json', content: '{"auths":{"r.example":{"auth":"dXNlcjpwYXNz"}}}' },
        { path: '/home/u/.docker/config.json', content: '{"auths":{}}' },
      ]);
    const r = await secretsNoneCheck.run(d, exp, silentLogger);
    expect(r.status).toBe('fail');
    const output = r.evidence.map((e) => e.output).join('\n');
    expect(output.split('\n')).toEqual([
      'env GITHUB_TOKEN: secret-named variable with a value (value redacted, 40 characters)',
      'env GOPROXY: password in a URL (value redacted, 46 characters)',
      'label built-with: AWS access key id (value redacted, 20 characters)',
      'history entry 0: GitHub token, NPM_TOKEN=<redacted> (build argument or ENV)',
      'layer 2 /root/.netrc: netrc credentials (39 bytes)',
      'layer 1 /root/.ssh/id_ed25519: SSH private key (119 bytes)',
      'layer 1 /root/.ssh/id_ed25519: PEM private key',
      'layer 1 /etc/app/server.key: PEM private key',
      'layer 1 /root/.docker/config.json: Docker registry credentials',
    ]);
    expect(r.reason).toBe(
      'env GITHUB_TOKEN: secret-named variable with a value (value redacted, 40 characters) (and 8 more)',
    );
    for (const secret of [
      'x'.repeat(40),
      'hunter2',
      awsKeyId,
      githubToken,
      'dXNlcjpwYXNz',
      privateKey.split('\n')[1],
    ]) {
      expect(JSON.stringify(r)).not.toContain(secret);
    }
  });

  test('finds a netrc and a GOAUTH header by content, under any name, in a layer a later one deletes', async () => {
    // A module proxy token as the seeds' sites hand one to the go command, made at test time.
    const token = `tok${'0a1b2c3d4e'.repeat(4)}`;
    const d = clean().withLayers([
      { path: '/var/tmp/corp-auth', content: `machine goproxy.corp.example.com\nlogin oauth2\npassword ${token}\n` },
      {
        path: '/etc/go-headers',
        content: `https://goproxy.corp.example.com\n\nAuthorization: Bearer ${token}\n\n`,
      },
      // The next layer deletes both: the final file system has neither, every layer still does.
      { path: '/var/tmp/.wh.corp-auth', layer: 'layer 2' },
      { path: '/etc/.wh.go-headers', layer: 'layer 2' },
      // Prose and templates that name the words carry no credential.
      { path: '/usr/share/doc/netrc.txt', content: 'Set the machine name, then the login and password fields.\n' },
      { path: '/etc/profile.d/proxy.sh', content: 'echo "Authorization: Bearer $TOKEN"\n' },
    ]);
    const r = await secretsNoneCheck.run(d, exp, silentLogger);
    expect(r.status).toBe('fail');
    // The config's evidence first (nothing there), then the layers'.
    expect(r.evidence[0].output).toBe('nothing found');
    expect(r.evidence[1].output.split('\n')).toEqual([
      'layer 1 /var/tmp/corp-auth: netrc credentials (in its content)',
      'layer 1 /etc/go-headers: HTTP Authorization header (in its content)',
    ]);
    expect(JSON.stringify(r)).not.toContain(token);
  });

  test('fails rather than passing blind when the driver cannot show config or files', async () => {
    const r = await secretsNoneCheck.run(new FakeDriver(), exp, silentLogger);
    expect(r).toMatchObject({
      status: 'fail',
      reason: 'the image config cannot be read through this driver (and 1 more)',
    });
  });
});

describe('secret patterns', () => {
  test('redaction removes every recognised value and keeps the context', () => {
    expect(redactSecrets(`token ${githubToken} at https://u:p4ss@h/x`)).toBe('token <redacted> at <redacted>h/x');
    expect(secretKindsIn('https://proxy.golang.org,direct')).toEqual([]);
  });

  test('a PEM private key needs a body, not only the marker', () => {
    expect(containsPemPrivateKey(Buffer.from(rsaKey))).toBe(true);
    expect(containsPemPrivateKey(Buffer.from('"-----BEGIN RSA PRIVATE KEY-----"\n'))).toBe(false);
  });
});
