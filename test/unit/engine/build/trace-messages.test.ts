import { decodeTrace } from '../../../../bake/engine/build/trace-messages';
import { digest, encodeTrace, ts } from './trace-fixtures';

describe('decodeTrace', () => {
  test('decodes vertexes, statuses and logs of a StatusResponse encoded with protobufjs', () => {
    const aux = encodeTrace({
      vertexes: [
        {
          digest: digest(1),
          inputs: [digest(0)],
          name: '[2/3] RUN make',
          cached: false,
          started: ts('2025-03-01T10:00:00.250Z'),
        },
        {
          digest: digest(2),
          name: '[1/3] FROM base',
          cached: true,
          started: ts('2025-03-01T10:00:00Z'),
          completed: ts('2025-03-01T10:00:00.100Z'),
        },
        { digest: digest(3), name: '[3/3] RUN false', error: 'exit code: 1' },
      ],
      statuses: [
        { ID: 'extracting', vertex: digest(2), name: 'extracting', current: 5_000_000_000, total: 6_000_000_000 },
      ],
      logs: [{ vertex: digest(1), timestamp: ts('2025-03-01T10:00:01Z'), stream: 2, msg: Buffer.from('warning: x\n') }],
    });
    const decoded = decodeTrace(aux);
    expect(decoded.vertexes).toEqual([
      {
        digest: digest(1),
        inputs: [digest(0)],
        name: '[2/3] RUN make',
        cached: false,
        started: new Date('2025-03-01T10:00:00.250Z'),
        completed: undefined,
        error: undefined,
      },
      {
        digest: digest(2),
        inputs: [],
        name: '[1/3] FROM base',
        cached: true,
        started: new Date('2025-03-01T10:00:00Z'),
        completed: new Date('2025-03-01T10:00:00.100Z'),
        error: undefined,
      },
      {
        digest: digest(3),
        inputs: [],
        name: '[3/3] RUN false',
        cached: false,
        started: undefined,
        completed: undefined,
        error: 'exit code: 1',
      },
    ]);
    // int64 fields beyond 2^32 survive as numbers.
    expect(decoded.statuses).toEqual([
      {
        id: 'extracting',
        vertex: digest(2),
        name: 'extracting',
        current: 5_000_000_000,
        total: 6_000_000_000,
        started: undefined,
        completed: undefined,
      },
    ]);
    expect(decoded.logs).toHaveLength(1);
    expect(decoded.logs[0]).toMatchObject({
      vertex: digest(1),
      stream: 2,
      timestamp: new Date('2025-03-01T10:00:01Z'),
    });
    expect(decoded.logs[0].data.toString()).toBe('warning: x\n');
  });

  test('decodes a log message captured from Docker Engine 20.10', () => {
    // The aux of `RUN echo hello` printing its line, as the engine sent it.
    const aux =
      'GmAKR3NoYTI1Njo3MjkyN2Q4ODE3ODk0OGI2NzQzZWIxZTY4MzQwNGI2MjVjZTA0MTg2NTc4' +
      'MjI3Y2U5MmM0MmVkMTY5YjRiNjRmEgsIrMeS2AYQ1fC0aRgBIgZoZWxsbwo=';
    const decoded = decodeTrace(aux);
    expect(decoded.vertexes).toEqual([]);
    expect(decoded.logs).toHaveLength(1);
    expect(decoded.logs[0].vertex).toBe('sha256:72927d88178948b6743eb1e683404b625ce04186578227ce92c42ed169b4b64f');
    expect(decoded.logs[0].stream).toBe(1);
    expect(decoded.logs[0].data.toString()).toBe('hello\n');
  });

  test('an empty response decodes to empty lists', () => {
    expect(decodeTrace(encodeTrace({}))).toEqual({ vertexes: [], statuses: [], logs: [] });
  });
});
