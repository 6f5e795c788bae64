import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_PATH } from './env';

/** The runtime as `npm start` runs it: the bundle `apps/runtime/scripts/bundle.mjs` writes. */
export const RUNTIME_MAIN = fileURLToPath(
  new URL('../../../apps/runtime/dist/bin/main.mjs', import.meta.url),
);
const BUNDLE_SCRIPT = fileURLToPath(
  new URL('../../../apps/runtime/scripts/bundle.mjs', import.meta.url),
);

/**
 * Bundles the runtime from its current sources (a fraction of a second; files that did not
 * change are left alone), so the scenarios start what users start. For the global setups.
 */
export function bundleRuntime(): void {
  const result = spawnSync(process.execPath, [BUNDLE_SCRIPT], {
    stdio: 'inherit',
    env: { PATH: CHILD_PATH },
  });
  if (result.status !== 0) throw new Error(`bundling the runtime failed (${result.status})`);
}
