/**
 * Terraform reads every string of a configuration, JSON ones included, as a template: `${...}`
 * is an interpolation and `%{...}` a directive. A value bake writes must stay the text it is,
 * so both openers are doubled (`$${`, `%%{`), Terraform's own escapes for a literal `${`, `%{`.
 */
export function terraformLiteral(value: string): string {
  return value.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{');
}

/**
 * Every string in plain data (objects, arrays), escaped with terraformLiteral: applied once
 * where values enter a stack, so no field can be forgotten. Anything else (numbers, Buffers,
 * class instances such as cdktf tokens) is left as it is.
 */
export function terraformLiterals<T>(value: T): T {
  if (typeof value === 'string') return terraformLiteral(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => terraformLiterals(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [terraformLiteral(k), terraformLiterals(v)]),
    ) as T;
  }
  return value;
}
