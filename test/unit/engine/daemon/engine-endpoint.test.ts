import { chooseEndpoint, dockerodeOptions, socketPathOf } from '../../../../bake/engine/daemon/engine-endpoint';
import { splitRef } from '../../../../bake/engine/docker-engine';

describe('engine endpoint', () => {
  test('the option wins, then DOCKER_HOST, then the standard socket', () => {
    expect(chooseEndpoint('/run/x.sock', { DOCKER_HOST: 'tcp://h:1' })).toEqual({
      endpoint: 'unix:///run/x.sock',
      source: 'option',
    });
    expect(chooseEndpoint(undefined, { DOCKER_HOST: 'tcp://h:1' })).toEqual({
      endpoint: 'tcp://h:1',
      source: 'DOCKER_HOST',
    });
    expect(chooseEndpoint(undefined, {})).toEqual({ endpoint: 'unix:///var/run/docker.sock', source: 'default' });
  });

  test('dockerode options for unix sockets and plain TCP', () => {
    expect(dockerodeOptions('unix:///run/d.sock', {})).toEqual({ socketPath: '/run/d.sock' });
    expect(dockerodeOptions('tcp://10.0.0.5:2375', {})).toEqual({ host: '10.0.0.5', port: 2375, protocol: 'http' });
    expect(socketPathOf('tcp://h:1')).toBeUndefined();
  });

  test('TLS needs the client certificates and says where it looked', () => {
    expect(() =>
      dockerodeOptions('tcp://h:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent/certs' }),
    ).toThrow('TLS to tcp://h:2376 needs ca.pem in /nonexistent/certs');
  });

  test('unsupported schemes are a usage error', () => {
    expect(() => dockerodeOptions('ftp://host', {})).toThrow(/unsupported engine endpoint/);
  });

  test('ssh:// reaches a remote engine as `docker -H ssh://` does, with the SSH agent', () => {
    expect(dockerodeOptions('ssh://builder@arm64.example:2222', { SSH_AUTH_SOCK: '/run/agent.sock' })).toEqual({
      protocol: 'ssh',
      host: 'arm64.example',
      port: 2222,
      username: 'builder',
      sshOptions: { agent: '/run/agent.sock' },
    });
  });
});

describe('splitRef', () => {
  test('separates the tag after the last slash, keeping registry ports', () => {
    expect(splitRef('registry.example:5000/team/img:1.22')).toEqual({
      repo: 'registry.example:5000/team/img',
      tag: '1.22',
    });
    expect(splitRef('registry.example:5000/team/img')).toEqual({
      repo: 'registry.example:5000/team/img',
      tag: 'latest',
    });
  });
});
