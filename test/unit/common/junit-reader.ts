/**
 * A JUnit document read back the way CI reads it, so tests assert what a report says, not
 * how the writer happens to format it. Enough XML for JUnit: elements, attributes, CDATA,
 * the predefined and numeric character references.
 */
export interface ReadCase {
  name: string;
  attributes: Record<string, string>;
  failure?: { attributes: Record<string, string>; text: string };
  skipped?: Record<string, string>;
  systemOut?: string;
}

export interface ReadSuite {
  attributes: Record<string, string>;
  properties: Record<string, string>;
  cases: ReadCase[];
}

export interface ReadJUnit {
  /** The document with its CDATA sections left out: everything a parser takes as markup. */
  markup: string;
  root: Record<string, string>;
  suites: ReadSuite[];
}

const ATTRIBUTES = String.raw`((?:\s+[\w.:-]+="[^"]*")*)\s*`;
const element = (tag: string) => new RegExp(`<${tag}${ATTRIBUTES}(?:/>|>([\\s\\S]*?)</${tag}>)`, 'g');

export function readJUnit(xml: string): ReadJUnit {
  const sections: string[] = [];
  // NUL cannot occur in XML, so it marks where a CDATA section stood.
  const markup = xml.replace(
    /<!\[CDATA\[([\s\S]*?)\]\]>/g,
    (_, text: string) => `\u0000${sections.push(text) - 1}\u0000`,
  );
  const text = (content: string) =>
    decode(content).replace(/\u0000(\d+)\u0000/g, (_, i: string) => sections[Number(i)]);
  const first = (tag: string, within: string) => [...within.matchAll(element(tag))][0];
  const root = new RegExp(`<testsuites${ATTRIBUTES}>`).exec(markup);
  return {
    markup: markup.replace(/\u0000\d+\u0000/g, ''),
    root: attributes(root?.[1] ?? ''),
    suites: [...markup.matchAll(element('testsuite'))].map(([, head = '', body = '']) => ({
      attributes: attributes(head),
      properties: Object.fromEntries(
        [...body.matchAll(element('property'))].map(([, p = '']) => [attributes(p).name, attributes(p).value]),
      ),
      cases: [...body.matchAll(element('testcase'))].map(([, head = '', inner = '']): ReadCase => {
        const failure = first('failure', inner);
        const skipped = first('skipped', inner);
        const out = first('system-out', inner);
        return {
          name: attributes(head).name,
          attributes: attributes(head),
          ...(failure ? { failure: { attributes: attributes(failure[1] ?? ''), text: text(failure[2] ?? '') } } : {}),
          ...(skipped ? { skipped: attributes(skipped[1] ?? '') } : {}),
          ...(out ? { systemOut: text(out[2] ?? '') } : {}),
        };
      }),
    })),
  };
}

function attributes(text: string): Record<string, string> {
  return Object.fromEntries(
    [...text.matchAll(/([\w.:-]+)="([^"]*)"/g)].map(([, name, value]) => [name, decode(value)]),
  );
}

function decode(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return named[ref] ?? whole;
  });
}
