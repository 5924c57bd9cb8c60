import { z } from 'zod';
import { recipeSchema } from './recipe-schema';

/**
 * The recipe schema for editors. A recipe file states only what differs from defaults.yaml,
 * so nothing is required here; bake still validates the merged recipe against the full rules.
 */
export function recipeJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(recipeSchema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return { ...(dropRequired(schema) as Record<string, unknown>), title: 'bake recipe', $id: 'recipe.schema.json' };
}

function dropRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropRequired);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => k !== 'required')
      .map(([k, v]) => [k, dropRequired(v)]),
  );
}
