import { formatTable, printErr, printJson, printOut } from '../../../bake/cli/output';

describe('formatTable', () => {
  test('columns padded to their widest cell, two spaces apart, the last one unpadded', () => {
    expect(
      formatTable(
        ['TARGET', 'GO', 'NOTE'],
        [
          ['debian12-amd64', '1.27.4', 'ok'],
          ['c7', '1.26.11', ''],
        ],
      ),
    ).toBe(['TARGET          GO       NOTE', 'debian12-amd64  1.27.4   ok', 'c7              1.26.11  '].join('\n'));
  });

  test('a row shorter than the header is padded as empty cells', () => {
    expect(formatTable(['A', 'B', 'C'], [['x']])).toBe('A  B  C\nx');
  });
});

describe('printOut, printErr, printJson', () => {
  test('stdout for results, stderr for notes, both redacted on the way out', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      printOut('pulled from https://u:s3cret@reg.example/x\n');
      printErr('note: https://mirror.example/go/?token=s3cret\n');
      printJson({ url: 'https://u:s3cret@reg.example/x' });
      expect(out.mock.calls.map((c) => String(c[0]))).toEqual([
        'pulled from https://***@reg.example/x\n',
        '{\n  "url": "https://***@reg.example/x"\n}\n',
      ]);
      expect(err.mock.calls.map((c) => String(c[0]))).toEqual(['note: https://mirror.example/go/?token=***\n']);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
