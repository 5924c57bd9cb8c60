import { Readable } from 'node:stream';
import { buildMessages, messageError, messageImageId } from '../../../../bake/engine/build/build-messages';

async function collect(chunks: string[]) {
  const out = [];
  for await (const m of buildMessages(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(m);
  return out;
}

describe('buildMessages', () => {
  test('splits CRLF-separated JSON messages, also when a chunk ends mid-message', async () => {
    const messages = await collect([
      '{"stream":"a"}\r\n{"id":"moby.buil',
      'dkit.trace","aux":"AA=="}\r\n{"aux":{"ID":"sha256:ab"}',
      '}',
    ]);
    expect(messages).toEqual([
      { stream: 'a' },
      { id: 'moby.buildkit.trace', aux: 'AA==' },
      { aux: { ID: 'sha256:ab' } },
    ]);
  });

  test('plain text lines are kept as output rather than failing the parse', async () => {
    expect(await collect(['not json\n'])).toEqual([{ stream: 'not json' }]);
  });
});

describe('message fields', () => {
  test('errorDetail is the error, as docker build reports it', () => {
    expect(messageError({ errorDetail: { message: 'detail' }, error: 'short' })).toBe('detail');
    expect(messageError({ error: 'short' })).toBe('short');
    expect(messageError({ stream: 'x' })).toBeUndefined();
  });

  test('the image id comes from aux.ID only', () => {
    expect(messageImageId({ id: 'moby.image.id', aux: { ID: 'sha256:1' } })).toBe('sha256:1');
    expect(messageImageId({ id: 'moby.buildkit.trace', aux: 'AAAA' })).toBeUndefined();
  });
});
