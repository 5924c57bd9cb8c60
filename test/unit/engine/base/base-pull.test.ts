import { isUnreachable } from '../../../../bake/engine/base/base-pull';

describe('pull failures', () => {
  test('network failures mean no registry reachable; registry answers do not', () => {
    expect(
      isUnreachable(
        '(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host',
      ),
    ).toBe(true);
    expect(isUnreachable('Get "https://r.example/v2/": net/http: TLS handshake timeout')).toBe(true);
    expect(isUnreachable('the registry did not answer within 8 s')).toBe(true);
    expect(isUnreachable('manifest for r.example/x@sha256:00 not found: manifest unknown')).toBe(false);
    expect(isUnreachable('unauthorized: authentication required')).toBe(false);
  });
});
