const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;

/**
 * Fills `{{name}}` placeholders. Deliberately tiny: a placeholder without a value, a value
 * without a placeholder, or a stray `{{` is a bug in bake (template and code drifted apart),
 * so each throws. Values are inserted as they are; callers quote them for their context.
 */
export function fillTemplate(template: string, values: Record<string, string>, name: string): string {
  const stray = /\{\{(?![A-Za-z][A-Za-z0-9]*\}\})/.exec(template);
  if (stray) throw new Error(`template ${name}: malformed placeholder at offset ${stray.index}`);
  const used = new Set<string>();
  const out = template.replace(PLACEHOLDER, (_match, key: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, key))
      throw new Error(`template ${name}: no value for {{${key}}}`);
    used.add(key);
    return values[key];
  });
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length) throw new Error(`template ${name}: unused value(s) ${unused.join(', ')}`);
  return out;
}
