import { BuildTrace } from '../../../../bake/engine/build/build-trace';
import { RawjsonSplitter } from '../../../../bake/engine/build/rawjson-progress';

describe('RawjsonSplitter', () => {
  it('turns indented SolveStatus objects into trace events and keeps the trailing text', () => {
    const vertex = 'sha256:aa';
    const objects = [
      { vertexes: [{ digest: vertex, name: '[2/3] RUN make', started: '2026-12-03T06:18:11.8Z' }] },
      { logs: [{ vertex, stream: 1, data: Buffer.from('hello\n').toString('base64') }] },
      { statuses: [{ id: 'transferring context:', vertex: 'sha256:bb', current: 37 }] },
      { vertexes: [{ digest: vertex, name: '[2/3] RUN make', cached: true, completed: '2026-12-03T06:18:12Z' }] },
    ];
    const text = objects.map((o) => JSON.stringify(o, null, 2)).join('\n') + '\nERROR: failed to solve: boom\n';
    const splitter = new RawjsonSplitter();
    // Cut mid-object, as a pipe does.
    const a = splitter.push(text.slice(0, 50));
    const b = splitter.push(text.slice(50));
    const c = splitter.end();
    const responses = [...a.responses, ...b.responses, ...c.responses];
    expect(responses).toHaveLength(4);
    const trace = new BuildTrace();
    const events = responses.flatMap((r) => trace.apply(r));
    expect(events.map((e) => e.status)).toEqual(['started', 'started', 'cached']);
    expect(events[1].logs).toEqual(['hello']);
    expect(trace.counts()).toEqual({ steps: 1, cachedSteps: 1 });
    expect([...a.text, ...b.text, ...c.text]).toEqual(['ERROR: failed to solve: boom']);
  });
});
