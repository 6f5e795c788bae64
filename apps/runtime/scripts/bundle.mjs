// Bundles the runtime into dist/bin/main.mjs: Baton's own packages compiled in, every package
// from node_modules left to be imported as installed, and @baton/db's migrations beside it.
// `npm start` runs the bundle rather than the TypeScript sources through tsx, whose module-hooks
// thread and transpile caches hold about 100 MB for the life of the process (bench/README.md).
//
// Safe to run while a runtime started from dist/ runs, or while another bundling runs (the
// tests and the benchmark bundle before they start runtimes): a file is only replaced when its
// content changes, and then by a rename, so nobody reads a half-written file.
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Imports of Baton's own packages and of relative files are compiled in; the rest stay imports. */
const installedPackagesExternal = {
  name: 'installed-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@baton/') ? undefined : { path: args.path, external: true },
    );
  },
};

async function replaceIfChanged(path, contents) {
  const current = await readFile(path).catch(() => null);
  if (current && Buffer.compare(current, Buffer.from(contents)) === 0) return;
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

const bundled = await build({
  entryPoints: [root('src/main.ts')],
  outfile: root('dist/bin/main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [installedPackagesExternal],
  logLevel: 'warning',
  write: false,
});
for (const file of bundled.outputFiles) await replaceIfChanged(file.path, file.contents);

// @baton/db finds its migrations next to its module (`../migrations`): beside the bundle's folder.
const migrations = root('../../packages/db/migrations');
for (const entry of await readdir(migrations, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const from = join(entry.parentPath, entry.name);
  await replaceIfChanged(
    join(root('dist/migrations'), relative(migrations, from)),
    await readFile(from),
  );
}
