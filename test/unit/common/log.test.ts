import { createLogger } from '../../../bake/common/log';

/** A stream that keeps what it is given; isTTY so lines carry no timestamp. */
function captured(isTTY = true) {
  const lines: string[] = [];
  return {
    lines,
    stream: { isTTY, write: (text: string) => (lines.push(text), true) } as unknown as NodeJS.WritableStream & {
      isTTY?: boolean;
    },
  };
}

describe('createLogger', () => {
  it('redacts every kind of line: info, warning and debug', () => {
    const { lines, stream } = captured();
    const logger = createLogger({ stream, debug: true });
    logger.info('mirror https://bob:s3cret@mirror.example/go: index.json fetched');
    logger.warn('https://mirror.example/go?token=s3cret: unreachable');
    logger.debug('GET https://h/v2/ Authorization: Bearer s3cret');
    expect(lines).toEqual([
      'mirror https://***@mirror.example/go: index.json fetched\n',
      'warning: https://mirror.example/go?token=***: unreachable\n',
      'debug: GET https://h/v2/ Authorization: Bearer ***\n',
    ]);
  });

  it('redacts timestamped lines the same way and leaves plain ones alone', () => {
    const { lines, stream } = captured(false);
    const logger = createLogger({ stream });
    logger.info('apt source http://u:s3cret@deb.example/debian');
    logger.info('built debian12-amd64 FROM registry:5000/golden@sha256:abcd');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ apt source http:\/\/\*\*\*@deb\.example\/debian\n$/);
    expect(lines[1]).toMatch(/ built debian12-amd64 FROM registry:5000\/golden@sha256:abcd\n$/);
    expect(lines.join('')).not.toContain('s3cret');
  });

  it('timestamps lines on a terminal when asked to (CI logs recorded through a TTY)', () => {
    const { lines, stream } = captured(true);
    createLogger({ stream, timestamps: true }).info('ready');
    createLogger({ stream }).info('ready');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ ready\n$/);
    expect(lines[1]).toBe('ready\n');
  });
});
