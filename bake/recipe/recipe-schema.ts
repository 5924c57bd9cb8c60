import { z } from 'zod';
import { policyProblems } from './env-policy-rules';
import { RESERVED_TOOL_NAMES } from './check-ids';
import { checksSchema } from './custom-check-schema';
import { goLineOfRange, goRangeProblem, goRanges } from './go-ranges';
import { matchesModulePatterns, noSumDbPatterns } from './module-patterns';
import { shownValue } from './recipe-errors';
import {
  EXACT_MODULE_VERSION,
  H1_SUM,
  isModulePath,
  moduleHoldsPackage,
  modulePathProblems,
  splitToolPackage,
} from './tool-spec';
import { moduleProxyProblem } from './module-proxy-url';
import { urlCarriesCredentials } from './value-rules';
import { ARCHES, FAMILIES, GO_SOURCES, IMAGE_KINDS } from './vocabulary';

/**
 * The one schema of a recipe (after recipes/defaults.yaml is merged under it).
 * Every rule lives here, so `bake` and editors (through the emitted JSON Schema) agree.
 */

/** `registry/repository[:tag]@sha256:<64 hex>`: bases are always pinned by digest. */
export const IMAGE_REF_PINNED =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\.[a-z0-9-]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$/;

/** `registry/repository:tag`: a base by tag, resolved to a digest through recipes/bases.lock.yaml. */
export const IMAGE_REF_TAGGED =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\.[a-z0-9-]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const arch = z.enum(ARCHES);
/**
 * A recipe's name, written or taken from its file name: it starts every target name
 * (`<recipe>-<arch>`), an AWS role name (`bake-builder-<target>`, 64 at most) and tags, so it has
 * no "-" (a target name reads one way only) and stays short.
 */
export const RECIPE_NAME = /^[a-z][a-z0-9]{0,31}$/;
const recipeName = z
  .string()
  .regex(RECIPE_NAME, 'a recipe name: lowercase letters and digits, starting with a letter, at most 32');
const nonEmptyName = z.string().regex(/^[a-z][a-z0-9]*$/, 'lowercase letters and digits, starting with a letter');
const packageName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.+_-]*$/, 'a package name (letters, digits, . + _ -)');
// systemd's unit name characters, never starting with "-" or "." (an option, a hidden file).
const serviceName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9:_.@-]{0,200}$/,
    'a systemd unit name (letters, digits, : _ . @ -, starting with a letter or digit)',
  );
const goRange = z.string().superRefine((v, ctx) => {
  const problem = goRangeProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** A package of Go's standard library ("net/http") or "std"; commands (cmd/...) would write binaries. */
const stdPackage = z
  .string()
  .regex(/^[a-z][a-z0-9]*(\/[a-z0-9_]+)*$/, 'a standard-library package such as "net/http", or "std"')
  .refine((p) => p !== 'cmd' && !p.startsWith('cmd/'), 'a library package, not a command (cmd/...)');
const perArch = <T extends z.ZodType>(value: T) => z.partialRecord(arch, value);

/** A module proxy bake's builder uses: one https URL, no credentials, nothing that reads as an option. */
export const moduleProxyUrl = z.string().superRefine((value, ctx) => {
  const problem = moduleProxyProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * A tool: a package of the Go distribution (`cmd/gofmt`), or a package at an exact module
 * version (`corp.example.com/platform/cmd/release@v1.4.2`), with the module holding it when
 * that is not the package path itself, and the module's `h1:` hash (required for private paths).
 */
const toolSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a file name for /usr/local/bin (lowercase letters, digits, _ -)')
      .refine((n) => !RESERVED_TOOL_NAMES.includes(n), "reserved for bake's readiness probe"),
    package: z.string().min(1).max(300),
    module: z.string().max(300).optional(),
    sum: z.string().regex(H1_SUM, 'an h1: hash as go.sum records it (h1: and 44 base64 characters)').optional(),
  })
  .superRefine((tool, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const { path, version } = splitToolPackage(tool.package);
    if (version === undefined) {
      if (!/^[a-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)*$/.test(path))
        issue('package', 'a Go package path such as "cmd/gofmt"');
      else if (isModulePath(path))
        issue(
          'package',
          `a package of the Go distribution (such as "cmd/gofmt"), or a module package at an exact version: ` +
            `${shownValue(`${path}@v1.2.3`)}`,
        );
      if (tool.module !== undefined) issue('module', 'only for a module package (path@version)');
      if (tool.sum !== undefined) issue('sum', 'only for a module package (path@version)');
      return;
    }
    for (const problem of modulePathProblems(path)) issue('package', `a Go package path: ${problem}`);
    if (!EXACT_MODULE_VERSION.test(version))
      issue(
        'package',
        `${shownValue(version)} is not an exact module version: name one release such as v1.4.2 ` +
          '(no latest, branch or range: the image would depend on the day it was built)',
      );
    if (tool.module !== undefined) {
      for (const problem of modulePathProblems(tool.module)) issue('module', `a module path: ${problem}`);
      if (!moduleHoldsPackage(tool.module, path))
        issue(
          'module',
          `${shownValue(tool.module)} cannot hold ${shownValue(path)}: ` +
            "a module is a leading part of its packages' paths",
        );
    }
  });

/** A CA certificate file of the site, relative to the recipes directory and inside it. */
const caFilePath = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_./-]*\.(pem|crt)$/, 'a .pem or .crt file relative to the recipes directory')
  .refine((p) => !p.split('/').includes('..') && !p.includes('//'), 'a path inside the recipes directory');

const envSchema = z
  .strictObject({
    GOPROXY: z.string(),
    GOSUMDB: z.string().min(1, 'a checksum database such as "sum.golang.org"'),
    GOPRIVATE: z.string(),
    GONOPROXY: z.string(),
    GONOSUMDB: z.string(),
    GOFLAGS: z.string(),
    GO111MODULE: z.literal('on'),
    GOTOOLCHAIN: z.literal('local'),
    CGO_ENABLED: z.literal('0'),
  })
  .superRefine((env, ctx) => {
    for (const problem of policyProblems(env)) {
      ctx.addIssue({ code: 'custom', path: [problem.key], message: `${problem.key} ${problem.message}` });
    }
  });

const userSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a POSIX user name')
    .refine((n) => n !== 'root', 'a non-root build user (the seeds: builds never run as root)'),
  uid: z.number().int().min(1000, 'a non-root, non-system uid (1000 or more)').max(65533),
  gid: z.number().int().min(1000, 'a non-root, non-system gid (1000 or more)').max(65533),
});

const vmSchema = z.strictObject({
  sourceAmi: z.strictObject({
    owners: z
      .array(z.string().regex(/^(\d{12}|amazon|aws-marketplace|self)$/, 'a 12-digit AWS account id or alias'))
      .min(1),
    names: perArch(z.string().min(1)),
  }),
  instanceTypes: perArch(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as t3.medium')),
  rootVolumeGiB: z.number().int().min(8).max(1024),
  services: z.strictObject({ enable: z.array(serviceName), disable: z.array(serviceName) }),
  selinux: z.enum(['enforcing', 'permissive', 'disabled', 'none']),
});

export const recipeSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: recipeName.optional(),
    distro: nonEmptyName,
    version: z.string().regex(/^[0-9][0-9.]*$/, 'a release number such as "9" or "24.04"'),
    family: z.enum(FAMILIES),
    arches: z.array(arch).min(1, 'at least one architecture'),
    kinds: z.array(z.enum(IMAGE_KINDS)).min(1, 'at least one image kind'),
    bases: perArch(
      z.string().refine((v) => IMAGE_REF_PINNED.test(v) || IMAGE_REF_TAGGED.test(v), {
        message:
          'an image reference by tag (registry/repository:tag, locked in bases.lock.yaml) ' +
          'or pinned by digest (...@sha256:<64 hex>)',
      }),
    ),
    bootstrap: z
      .strictObject({
        suite: z.string().regex(/^[a-z]+(-[a-z]+)?$/, 'a suite name such as "bookworm"'),
        variant: z.literal('minbase'),
      })
      .optional(),
    packages: z.array(packageName),
    go: z.strictObject({
      // One range, or several to bake one image per Go line (`["1.27.x", "1.26.x"]`).
      versions: z.union([goRange, z.array(goRange).min(1, 'at least one Go version range')]),
      sources: z.array(z.enum(GO_SOURCES)).min(1, 'at least one Go source'),
      mirror: z
        .string()
        .min(1)
        .regex(/^(?!-)/, 'a directory or URL, not an option')
        .refine(
          (m) => !urlCarriesCredentials(m),
          "a mirror URL without credentials (give the site's key with --trust-key; authenticate outside the URL)",
        )
        .optional(),
      // The site's module proxy the builder stage fetches the recipe's module tools through (one
      // https URL); `--go-proxy` and BAKE_GO_PROXY override it. Not the image's GOPROXY (env).
      proxy: moduleProxyUrl.optional(),
      // The standard library compiled into the toolchain image's GOCACHE: true (bake's list of
      // commonly used packages), false, or the packages to compile (with their dependencies).
      warmCache: z.union([z.boolean(), z.array(stdPackage).min(1, 'at least one package, or false')]).optional(),
    }),
    env: envSchema,
    user: userSchema,
    tools: z.array(toolSchema),
    // The site's own CA certificates (PEM files in the recipes directory), trusted by the builder
    // stage and installed in both image kinds the distribution's way.
    ca: z.strictObject({ extra: z.array(caFilePath) }).optional(),
    image: z.strictObject({
      sizeBudgetMB: z.number().positive(),
      runtimeSizeBudgetMB: z.number().positive(),
    }),
    vm: vmSchema,
    checks: checksSchema,
  })
  .superRefine((recipe, ctx) => {
    const seen = new Set<string>();
    recipe.arches.forEach((a, i) => {
      if (seen.has(a))
        ctx.addIssue({
          code: 'custom',
          path: ['arches', i],
          message:
            `duplicate architecture "${a}" ` +
            `would make two targets named "${recipe.name ?? recipe.distro + recipe.version}-${a}"`,
        });
      seen.add(a);
      if (!recipe.bases[a])
        ctx.addIssue({ code: 'custom', path: ['bases', a], message: `a pinned base image for architecture "${a}"` });
      if (!recipe.vm.sourceAmi.names[a])
        ctx.addIssue({
          code: 'custom',
          path: ['vm', 'sourceAmi', 'names', a],
          message: `a source AMI name filter for "${a}"`,
        });
      if (!recipe.vm.instanceTypes[a])
        ctx.addIssue({ code: 'custom', path: ['vm', 'instanceTypes', a], message: `an instance type for "${a}"` });
    });
    if (recipe.bootstrap && recipe.family !== 'debian') {
      ctx.addIssue({
        code: 'custom',
        path: ['bootstrap'],
        message: 'bootstrapping a base from the archive is only supported for the debian family',
      });
    }
    if (recipe.family === 'rhel' && recipe.vm.selinux !== 'enforcing') {
      ctx.addIssue({
        code: 'custom',
        path: ['vm', 'selinux'],
        message: 'SELinux must be "enforcing" on the rhel family',
      });
    }
    if (recipe.go.sources.includes('mirror') === false && recipe.go.mirror) {
      ctx.addIssue({
        code: 'custom',
        path: ['go', 'mirror'],
        message: 'a mirror is set but "mirror" is not among go.sources',
      });
    }
    recipe.kinds.forEach((k, i) => {
      if (recipe.kinds.indexOf(k) !== i)
        ctx.addIssue({ code: 'custom', path: ['kinds', i], message: `image kind "${k}" is listed twice` });
    });
    const toolNames = recipe.tools.map((t) => t.name);
    toolNames.forEach((n, i) => {
      if (toolNames.indexOf(n) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['tools', i, 'name'],
          message: `tool name "${n}" is listed twice (both would be /usr/local/bin/${n})`,
        });
    });
    const privatePaths = noSumDbPatterns(recipe.env);
    recipe.tools.forEach((tool, i) => {
      const { path, version } = splitToolPackage(tool.package);
      const module = tool.module ?? path;
      if (version !== undefined && !tool.sum && matchesModulePatterns(privatePaths, module))
        ctx.addIssue({
          code: 'custom',
          path: ['tools', i, 'sum'],
          message:
            `${shownValue(module)} is a private path (GONOSUMDB/GOPRIVATE), which no checksum database vouches for: ` +
            "pin the module's h1: hash (the line of go.sum for " +
            `${module} ${version})`,
        });
    });
    const lines = new Map<string, number>();
    goRanges(recipe.go.versions).forEach((range, i) => {
      const line = goLineOfRange(range);
      if (!line || typeof recipe.go.versions === 'string') return;
      if (lines.has(line)) {
        ctx.addIssue({
          code: 'custom',
          path: ['go', 'versions', i],
          message: `"${range}" starts on Go line ${line}, as entry ${lines.get(line)} does: one range per line`,
        });
      }
      lines.set(line, i);
    });
    const clash = recipe.vm.services.enable.filter((s) => recipe.vm.services.disable.includes(s));
    if (clash.length)
      ctx.addIssue({
        code: 'custom',
        path: ['vm', 'services'],
        message: `services both enabled and disabled: ${clash.join(', ')}`,
      });
  });

/** defaults.yaml: any part of a recipe, checked for shape only (rules apply after merging). */
export const recipeDefaultsSchema = z.record(z.string(), z.unknown());
