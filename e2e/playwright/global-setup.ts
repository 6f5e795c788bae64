import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHILD_PATH } from '../src/harness/env';
import { bundleRuntime } from '../src/harness/runtime-bundle';
import { NEXT_BIN, WEB_DIR } from './web-server';

const REPO = join(WEB_DIR, '../..');

/** The newest modification time of the files under `path`. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path)
      .filter((name) => name !== 'node_modules' && name !== '.next' && name !== '.turbo')
      .map((name) => newest(join(path, name))),
  );
}

/**
 * Bundles the runtime (the browser tests start it as `npm start` does), and — since `next start`
 * serves the last `next build` — builds the dashboard when there is no build or its sources (or
 * the domain it bundles) changed since.
 */
export default function globalSetup(): void {
  bundleRuntime();
  const buildId = join(WEB_DIR, '.next', 'BUILD_ID');
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const sources = Math.max(
    newest(join(WEB_DIR, 'src')),
    newest(join(WEB_DIR, 'next.config.ts')),
    newest(join(WEB_DIR, 'package.json')),
    newest(join(REPO, 'packages/domain/src')),
  );
  if (built > sources) return;
  process.stdout.write('Building the dashboard (next build)…\n');
  const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: WEB_DIR,
    stdio: 'inherit',
    env: { PATH: CHILD_PATH, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}
