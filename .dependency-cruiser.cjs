// The import order of bake's stages, written once: `npm run lint:deps` (part of `npm test`)
// holds every file under bake/ to it.

/** The stages, lowest first: a stage may import itself and the stages before it, never one after. */
const ORDER = ['common', 'recipe', 'golang', 'plan', 'render', 'engine', 'readiness', 'sbom', 'drift', 'registry', 'vm', 'pipeline', 'nightly', 'cli'];

/** A stage's files: its folder, and for cli also bake/cli.ts, the program's entry point. */
const stage = (name) => `^bake/${name}(/|\\.ts$)`;

/** One rule per stage but the last (cli may import anything): the stages above it. */
const orderRules = ORDER.slice(0, -1).map((name, i) => ({
  name: `${name}-imports-only-below`,
  comment: `bake/${name} may not import ${ORDER.slice(i + 1).join(', ')}`,
  severity: 'error',
  from: { path: stage(name) },
  to: { path: ORDER.slice(i + 1).map(stage) },
}));

module.exports = {
  forbidden: [
    ...orderRules,
    {
      name: 'in-a-stage',
      comment: 'every file under bake/ belongs to a stage of ORDER, or the order would not hold it',
      severity: 'error',
      from: { path: '^bake/', pathNot: ORDER.map(stage) },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // A type-only import still ties a stage to another's model, so it counts.
    tsPreCompilationDeps: true,
  },
};
