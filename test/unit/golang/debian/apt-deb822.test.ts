import { deb822Field, deb822List, parseDeb822 } from '../../../../bake/golang/debian/apt-deb822';

describe('parseDeb822', () => {
  test('deb822 stanzas, comments dropped, continuation lines kept', () => {
    const [first] = parseDeb822('Types: deb\n# note\nURIs: http://a.example/\nDescription: one\n two\n');
    expect(first).toEqual({ Types: 'deb', URIs: 'http://a.example/', Description: 'one\ntwo' });
  });

  test('blank lines separate paragraphs; CRLF line ends are read as LF', () => {
    expect(parseDeb822('A: 1\r\nB: 2\r\n\r\n\r\nA: 3\r\n')).toEqual([{ A: '1', B: '2' }, { A: '3' }]);
  });

  test('a line without a field name is skipped, and a continuation before any field is dropped', () => {
    expect(parseDeb822(' stray continuation\nnot a field\n: no name\nA: 1\n')).toEqual([{ A: '1' }]);
  });

  test('a value keeps its colons; spaces around it are trimmed', () => {
    expect(parseDeb822('URIs:   http://a.example:8080/debian  \n')).toEqual([{ URIs: 'http://a.example:8080/debian' }]);
  });
});

describe('deb822Field and deb822List', () => {
  const [paragraph] = parseDeb822('Suites: bookworm  bookworm-updates\nSigned-By: /k.gpg\nEmpty:\n');

  test('field names are case-insensitive', () => {
    expect(deb822Field(paragraph, 'signed-by')).toBe('/k.gpg');
    expect(deb822Field(paragraph, 'SUITES')).toBe('bookworm  bookworm-updates');
    expect(deb822Field(paragraph, 'Components')).toBeUndefined();
  });

  test('a list field splits on whitespace; an absent or empty one is an empty list', () => {
    expect(deb822List(paragraph, 'suites')).toEqual(['bookworm', 'bookworm-updates']);
    expect(deb822List(paragraph, 'Empty')).toEqual([]);
    expect(deb822List(paragraph, 'Components')).toEqual([]);
  });
});
