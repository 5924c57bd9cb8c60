import { z } from 'zod';
import { compilePattern } from '../common/text-pattern';
import { VERSION_SCHEMES, versionRangeProblem } from '../common/version-range';
import { CHECK_IDS } from './check-ids';
import { shownValue } from './recipe-errors';
import { IMAGE_KINDS } from './vocabulary';

/**
 * The site's own readiness checks (`checks.custom`), their waivers (`checks.waive`) and the
 * suites a recipe imports (`checks.import`). Every rule a check's spec must meet is here, so
 * `bake recipe check` refuses what the readiness suite could not run.
 */

/** `site.corp-ca`: dotted like bake's own ids, and never one of them. */
export const CUSTOM_CHECK_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
/** What a custom check may run against: the image kinds, and VM templates through the host driver. */
export const CHECK_TARGET_KINDS = [...IMAGE_KINDS, 'vm'] as const;
/** A command's wait is bounded; a check that needs longer is not a readiness check. */
export const MAX_TIMEOUT_SECONDS = 600;
export const DEFAULT_TIMEOUT_SECONDS = 60;

const pattern = z.string().superRefine((source, ctx) => {
  try {
    compilePattern(source);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

/** How a text (output, file content, a value) is matched; every condition given must hold. */
export const textMatchSchema = z
  .strictObject({
    equals: z.string().optional(),
    contains: oneOrMany(z.string().min(1)).optional(),
    notContains: oneOrMany(z.string().min(1)).optional(),
    matches: oneOrMany(pattern).optional(),
    notMatches: oneOrMany(pattern).optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), {
    message: 'at least one of equals, contains, notContains, matches, notMatches',
  });
/** A plain string means `equals`. */
const valueMatch = z.union([z.string(), textMatchSchema]);

const checkId = z
  .string()
  .max(100)
  .regex(CUSTOM_CHECK_ID, 'a dotted id such as "site.corp-ca" (lowercase letters, digits, -)')
  .refine((id) => !CHECK_IDS.includes(id), "one of bake's own check ids; name the site's check differently");
const userName = z
  .string()
  .regex(
    /^([a-z_][a-z0-9_-]{0,31}|\d{1,10})(:([a-z_][a-z0-9_-]{0,31}|\d{1,10}))?$/,
    'a user name or uid (optionally :group), such as "gobuild" or "10001"',
  );
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');
const absolutePath = z
  .string()
  .max(4096)
  .regex(/^\/[^\0]*$/, 'an absolute path')
  .refine((p) => !p.split('/').includes('..'), 'a path without ".." segments');

const common = {
  id: checkId,
  description: z.string().min(1).max(200),
  /** Default: toolchain, the image teams build in. */
  kinds: z.array(z.enum(CHECK_TARGET_KINDS)).min(1).optional(),
};

/** How a command runs: argv in exec form, unless `shell: true` is written. */
const run = {
  command: z.union([z.array(z.string()).min(1, 'at least the program to run'), z.string().min(1)]),
  shell: z.boolean().optional(),
  user: userName.optional(),
  env: z.record(envName, z.string()).optional(),
  timeoutSeconds: z.number().int().min(1).max(MAX_TIMEOUT_SECONDS).optional(),
};

const commandCheck = z.strictObject({
  ...common,
  kind: z.literal('command'),
  ...run,
  exitCode: z.number().int().min(0).max(255).optional(),
  stdout: textMatchSchema.optional(),
  stderr: textMatchSchema.optional(),
});

const fileCheck = z.strictObject({
  ...common,
  kind: z.literal('file'),
  path: absolutePath,
  exists: z.boolean().optional(),
  type: z.enum(['file', 'directory']).optional(),
  mode: z
    .string()
    .regex(/^0?[0-7]{3,4}$/, 'octal permission bits such as "0644" (quoted)')
    .optional(),
  owner: z.union([userName, z.number().int().min(0)]).optional(),
  group: z.union([userName, z.number().int().min(0)]).optional(),
  executableBy: z.enum(['owner', 'group', 'other', 'any']).optional(),
  content: textMatchSchema.optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits')
    .optional(),
});

const envCheck = z.strictObject({
  ...common,
  kind: z.literal('env'),
  /** `go`: what `go env NAME` prints; `process`: the environment every process of the artifact starts with. */
  source: z.enum(['go', 'process']),
  name: envName,
  user: userName.optional(),
  value: valueMatch,
});

const metadataCheck = z.strictObject({
  ...common,
  kind: z.literal('metadata'),
  labels: z.record(z.string().min(1).max(256), valueMatch).optional(),
  env: z.record(envName, valueMatch).optional(),
  user: z.string().optional(),
  workdir: z.string().optional(),
  entrypoint: z.array(z.string()).optional(),
  cmd: z.array(z.string()).optional(),
  exposedPorts: z.array(z.string().regex(/^\d{1,5}(\/(tcp|udp|sctp))?$/, 'a port such as "8080/tcp"')).optional(),
  volumes: z.array(z.string().min(1)).optional(),
});

const versionCheck = z.strictObject({
  ...common,
  kind: z.literal('version'),
  ...run,
  /** The version is its first capture group (else the whole match); default: the first version-like word. */
  pattern: pattern.optional(),
  scheme: z.enum(VERSION_SCHEMES).optional(),
  range: z.string().min(1),
});

export const customCheckSchema = z
  .discriminatedUnion('kind', [commandCheck, fileCheck, envCheck, metadataCheck, versionCheck])
  .superRefine((check, ctx) => {
    if (check.kind === 'command' || check.kind === 'version') {
      if (!check.shell && typeof check.command === 'string')
        ctx.addIssue({
          code: 'custom',
          path: ['command'],
          message: 'an argument list such as [git, --version]; a shell command line needs "shell: true"',
        });
      if (check.shell && Array.isArray(check.command))
        ctx.addIssue({ code: 'custom', path: ['command'], message: 'with "shell: true", one command line (a string)' });
      const program = Array.isArray(check.command) ? check.command[0] : undefined;
      if (program === '') ctx.addIssue({ code: 'custom', path: ['command', 0], message: 'the program to run (empty)' });
      // Over SSH argv follows `env NAME=value`: a program that looks like an option or an
      // assignment would change what runs.
      else if (program !== undefined && (program.startsWith('-') || program.includes('=')))
        ctx.addIssue({
          code: 'custom',
          path: ['command', 0],
          message: `the program to run, not an option or a NAME=value (got ${shownValue(program)})`,
        });
    }
    if (check.kind === 'version') {
      const problem = versionRangeProblem(check.scheme ?? 'semver', check.range);
      if (problem) ctx.addIssue({ code: 'custom', path: ['range'], message: problem });
    }
    if (check.kind === 'file' && check.exists === false) {
      const extra = (['type', 'mode', 'owner', 'group', 'executableBy', 'content', 'sha256'] as const).filter(
        (k) => check[k] !== undefined,
      );
      if (extra.length)
        ctx.addIssue({
          code: 'custom',
          path: [extra[0]],
          message: `a file that must be absent has no ${extra.join(', ')}`,
        });
    }
    if (check.kind === 'file' && check.type === 'directory' && (check.content || check.sha256))
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'a directory has no content or sha256 to check' });
    if (check.kind === 'metadata') {
      if (check.kinds?.includes('vm'))
        ctx.addIssue({ code: 'custom', path: ['kinds'], message: 'a VM template has no image config to check' });
      const fields = ['labels', 'env', 'user', 'workdir', 'entrypoint', 'cmd', 'exposedPorts', 'volumes'] as const;
      if (!fields.some((f) => check[f] !== undefined))
        ctx.addIssue({ code: 'custom', path: [], message: `at least one of ${fields.join(', ')}` });
    }
  });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'a calendar date',
  );

/** A check whose failure does not gate the tag until `until` (that day included, UTC); it still runs. */
export const waiverSchema = z.strictObject({
  id: z.string().min(1).max(100),
  reason: z
    .string()
    .max(500)
    .refine((r) => r.trim().length >= 3, 'why the check is waived (a ticket, a justification)'),
  until: isoDate,
});

/**
 * A suite file in a folder of the recipes directory (`tests/structure.yaml`): relative, inside
 * it, never an option, and never at its top level, where every *.yaml file is a recipe.
 */
export const importPath = z
  .string()
  .max(255)
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_./-]*\.(ya?ml|json)$/,
    'a .yaml, .yml or .json file relative to the recipes directory',
  )
  .refine((p) => !p.split('/').includes('..') && !p.includes('//'), 'a path inside the recipes directory')
  .refine(
    (p) => p.split('/').filter((s) => s !== '.').length > 1,
    'a file in a folder of the recipes directory, such as "tests/structure.yaml" (top-level files are recipes)',
  );

export const importSchema = z.union([
  importPath,
  z.strictObject({ file: importPath, kinds: z.array(z.enum(CHECK_TARGET_KINDS)).min(1).optional() }),
]);

/** One of bake's own checks, as `checks.extra` and `checks.skip` name them. */
const builtinCheckId = z.string().superRefine((id, ctx) => {
  if (!CHECK_IDS.includes(id))
    ctx.addIssue({ code: 'custom', message: `unknown check id ${shownValue(id)}; known: ${CHECK_IDS.join(', ')}` });
});

export const checksSchema = z
  .strictObject({
    extra: z.array(builtinCheckId),
    skip: z.array(builtinCheckId),
    custom: z.array(customCheckSchema).optional(),
    import: z.array(importSchema).optional(),
    waive: z.array(waiverSchema).optional(),
  })
  .superRefine((checks, ctx) => {
    const ids = new Map<string, number>();
    (checks.custom ?? []).forEach((c, i) => {
      if (ids.has(c.id))
        ctx.addIssue({
          code: 'custom',
          path: ['custom', i, 'id'],
          message: `check id ${shownValue(c.id)} is also entry ${ids.get(c.id)}'s`,
        });
      ids.set(c.id, i);
    });
    const waived = new Map<string, number>();
    (checks.waive ?? []).forEach((w, i) => {
      if (waived.has(w.id))
        ctx.addIssue({
          code: 'custom',
          path: ['waive', i, 'id'],
          message: `${shownValue(w.id)} is already waived by entry ${waived.get(w.id)}`,
        });
      waived.set(w.id, i);
      if (checks.skip.includes(w.id))
        ctx.addIssue({
          code: 'custom',
          path: ['waive', i, 'id'],
          message: `${shownValue(w.id)} is also in checks.skip; a waived check runs, a skipped one does not`,
        });
    });
  });
