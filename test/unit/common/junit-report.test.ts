import { junitReport } from '../../../bake/common/junit-report';
import { readJUnit } from './junit-reader';

const suite = (cases: Parameters<typeof junitReport>[1][number]['cases']) =>
  junitReport('r', [{ name: 's', timestamp: '2025-01-02T03:04:05.000Z', cases }]);

describe('junitReport', () => {
  test('counts from the cases, on the document and each suite; time in seconds to the millisecond', () => {
    const xml = junitReport('bake test', [
      {
        name: 'one',
        timestamp: '2025-01-02T03:04:05.000Z',
        durationMs: 1234.4,
        properties: { 'artifact.ref': 'x:1' },
        cases: [
          { name: 'pass', classname: 'c', durationMs: 5 },
          { name: 'fail', classname: 'c', durationMs: 61_234, failure: { message: 'm', type: 't', text: 'all of it' } },
          { name: 'skip', classname: 'c', durationMs: 0, skipped: 'not here' },
        ],
      },
    ]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(xml.endsWith('</testsuites>\n')).toBe(true);
    const doc = readJUnit(xml);
    expect(doc.root).toEqual({ name: 'bake test', tests: '3', failures: '1', errors: '0', skipped: '1' });
    expect(doc.suites[0].attributes).toEqual({
      name: 'one',
      time: '1.234',
      timestamp: '2025-01-02T03:04:05.000Z',
      tests: '3',
      failures: '1',
      errors: '0',
      skipped: '1',
    });
    expect(doc.suites[0].properties).toEqual({ 'artifact.ref': 'x:1' });
    expect(doc.suites[0].cases).toEqual([
      { name: 'pass', attributes: { name: 'pass', classname: 'c', time: '0.005' } },
      {
        name: 'fail',
        attributes: { name: 'fail', classname: 'c', time: '61.234' },
        failure: { attributes: { message: 'm', type: 't' }, text: 'all of it' },
      },
      // The library writes <skipped/> without a message: the reason is the case's output.
      { name: 'skip', attributes: { name: 'skip', classname: 'c', time: '0' }, skipped: {}, systemOut: 'not here' },
    ]);
  });

  test('markup in names, messages and output stays text', () => {
    const evil = '</failure></testcase><injected a="1"/> & "q" \'a\'\nline\ttab';
    const doc = readJUnit(
      suite([
        {
          name: evil,
          classname: evil,
          durationMs: 0,
          failure: { message: evil, type: evil, text: evil },
          output: evil,
        },
      ]),
    );
    expect(doc.markup).not.toContain('<injected');
    expect(doc.suites[0].cases).toEqual([
      {
        name: evil,
        attributes: { name: evil, classname: evil, time: '0' },
        failure: { attributes: { message: evil, type: evil }, text: evil },
        systemOut: evil,
      },
    ]);
  });

  test('every ]]> in output survives as text, not only the first', () => {
    const text = 'a ]]> b ]]><injected/> c ]]>]]> d';
    const xml = suite([
      { name: 'n', classname: 'c', durationMs: 0, failure: { message: 'm', type: 't', text }, output: text },
    ]);
    const doc = readJUnit(xml);
    expect(doc.markup).not.toContain('<injected');
    expect(doc.suites[0].cases[0]).toMatchObject({ failure: { text }, systemOut: text });
  });

  test('characters XML cannot carry are shown as \\xNN, not dropped', () => {
    const xml = suite([
      {
        name: 'bell\u0007',
        classname: 'c',
        durationMs: 0,
        failure: { message: 'nul\u0000', type: 't', text: 'esc\u001b[0m' },
      },
    ]);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(readJUnit(xml).suites[0].cases[0]).toMatchObject({
      name: 'bell\\x07',
      failure: { attributes: { message: 'nul\\x00' }, text: 'esc\\x1b[0m' },
    });
  });
});
