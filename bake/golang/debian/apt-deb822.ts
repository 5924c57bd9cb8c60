/**
 * One deb822 paragraph (a `.sources` stanza, a Packages entry): field names as written,
 * continuation lines joined with "\n". Field names are case-insensitive in deb822, so
 * lookups go through `deb822Field`.
 */
export type Deb822Paragraph = Record<string, string>;

/** Parses deb822 text; `#` comment lines are dropped (apt allows them in `.sources`). */
export function parseDeb822(text: string): Deb822Paragraph[] {
  const paragraphs: Deb822Paragraph[] = [];
  let current: Deb822Paragraph | undefined;
  let lastField: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    if (line.trim() === '') {
      current = undefined;
      lastField = undefined;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (current && lastField !== undefined) current[lastField] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!current) {
      current = {};
      paragraphs.push(current);
    }
    lastField = line.slice(0, colon).trim();
    current[lastField] = line.slice(colon + 1).trim();
  }
  return paragraphs;
}

export function deb822Field(paragraph: Deb822Paragraph, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(paragraph)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** A whitespace-separated field (`Suites: a b`, `URIs: ...`) as a list. */
export function deb822List(paragraph: Deb822Paragraph, name: string): string[] {
  return (deb822Field(paragraph, name) ?? '').split(/\s+/).filter((s) => s !== '');
}
