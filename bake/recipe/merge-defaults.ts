type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge for recipe layering: objects merge key by key, everything else (lists too) replaces. */
export function mergeDefaults(defaults: unknown, recipe: unknown): unknown {
  if (!isPlain(defaults) || !isPlain(recipe)) return recipe === undefined ? defaults : recipe;
  const out: Plain = { ...defaults };
  for (const [key, value] of Object.entries(recipe)) out[key] = mergeDefaults(defaults[key], value);
  return out;
}
