import { commandLogger, viewAndLogger } from '../../../bake/cli/progress-output';

const globals = { recipes: 'recipes', trustKey: [], debug: false, quiet: false };

describe('viewAndLogger', () => {
  test("the logger's lines go through the view (above a live one), on stderr", () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { view, logger } = viewAndLogger(globals);
      logger.info('planning debian12-amd64');
      logger.debug('not shown without --debug');
      view.close();
      const written = err.mock.calls.map((c) => String(c[0])).join('');
      expect(written).toContain('planning debian12-amd64\n');
      expect(written).not.toContain('not shown');
    } finally {
      err.mockRestore();
    }
  });

  test('--quiet keeps warnings only; commandLogger follows --debug', () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { view, logger } = viewAndLogger({ ...globals, quiet: true });
      logger.info('info line');
      logger.warn('warning line');
      view.close();
      commandLogger({ ...globals, debug: true }).debug('debug line');
      const written = err.mock.calls.map((c) => String(c[0])).join('');
      expect(written).not.toContain('info line');
      expect(written).toContain('warning: warning line');
      expect(written).toContain('debug: debug line');
    } finally {
      err.mockRestore();
    }
  });
});
