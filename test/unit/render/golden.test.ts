// Golden files: the rendered contexts of all shipped targets, byte for byte. After an intended
// change, rewrite them with BAKE_UPDATE_GOLDEN=1 and review the diff like code.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { contextFileList } from '../../../bake/render/context-file-list';
import { BUILDER_SOURCES } from '../../../bake/render/run-steps';
import { renderContexts } from '../../../bake/render/render-contexts';
import type { RenderedContext } from '../../../bake/render/types';
import type { Target } from '../../../bake/recipe/types';
import { fixtureCore, SHIPPED_TARGET_NAMES, shippedTargets } from './render-fixtures';

const GOLDEN = join(__dirname, 'golden');
const UPDATE = process.env.BAKE_UPDATE_GOLDEN === '1';

/** Rendered files kept as golden copies; bake's own Go sources are pinned by digest in the listing. */
function goldenFiles(ctx: RenderedContext) {
  return ctx.files.filter((f) => !(BUILDER_SOURCES as readonly string[]).includes(f.path));
}

function listing(ctx: RenderedContext): string {
  const modes = Object.fromEntries(ctx.files.map((f) => [f.path, f.mode.toString(8).padStart(4, '0')]));
  return `${JSON.stringify({ files: contextFileList(ctx), modes }, null, 2)}\n`;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

describe('golden build contexts of the shipped recipes', () => {
  let targets: Target[];
  beforeAll(async () => {
    targets = await shippedTargets();
    if (UPDATE) {
      rmSync(GOLDEN, { recursive: true, force: true });
      for (const target of targets) {
        for (const ctx of renderContexts(fixtureCore(target))) {
          const dir = join(GOLDEN, target.name, ctx.kind);
          for (const f of goldenFiles(ctx)) {
            mkdirSync(dirname(join(dir, f.path)), { recursive: true });
            writeFileSync(join(dir, f.path), f.content);
          }
          writeFileSync(join(GOLDEN, target.name, `${ctx.kind}.files.json`), listing(ctx));
        }
      }
      console.log(`BAKE_UPDATE_GOLDEN=1: rewrote ${GOLDEN}`);
    }
  });

  it('cover the 12 shipped targets, each with a toolchain and a runtime context', () => {
    expect(targets).toHaveLength(SHIPPED_TARGET_NAMES.length);
    expect(readdirSync(GOLDEN).sort()).toEqual(targets.map((t) => t.name).sort());
  });

  it.each(SHIPPED_TARGET_NAMES)('%s renders exactly its golden files', (name) => {
    const target = targets.find((t) => t.name === name)!;
    const contexts = renderContexts(fixtureCore(target));
    expect(contexts.map((c) => c.kind)).toEqual(target.kinds);
    for (const ctx of contexts) {
      const dir = join(GOLDEN, name, ctx.kind);
      const rendered = goldenFiles(ctx);
      expect(rendered.map((f) => f.path).sort()).toEqual(filesUnder(dir));
      for (const f of rendered) {
        const want = readFileSync(join(dir, f.path));
        // Buffer equality compares every byte; the path is in the message when it fails.
        expect({ path: f.path, content: f.content.toString('utf8') }).toEqual({
          path: f.path,
          content: want.toString('utf8'),
        });
        expect(Buffer.compare(f.content, want)).toBe(0);
      }
      expect(listing(ctx)).toBe(readFileSync(join(GOLDEN, name, `${ctx.kind}.files.json`), 'utf8'));
    }
  });

  it("carry bake's Go sources (probe, cache helper) from images/ unchanged", () => {
    const ctx = renderContexts(fixtureCore(targets[0]))[0];
    for (const path of BUILDER_SOURCES) {
      const file = ctx.files.find((f) => f.path === path)!;
      expect(Buffer.compare(file.content, readFileSync(join('images', path)))).toBe(0);
    }
  });
});
