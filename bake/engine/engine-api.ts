/** Whether an engine API version (`1.45`) is at least `wanted`, compared as numbers, not text. */
export function apiAtLeast(actual: string, wanted: string): boolean {
  const [a1, a2] = actual.split('.').map(Number);
  const [w1, w2] = wanted.split('.').map(Number);
  return a1 > w1 || (a1 === w1 && a2 >= w2);
}
