import { cpus } from 'node:os';
import { parseBenchArgs } from './args';
import { benchEnv } from './env';
import type { LevelResult } from './level';
import { runLevel } from './level';
import { bundleRuntime } from './runtime';
import { formatDrift, formatTable, writeResults } from './report';

// `npm run bench -- --clients 1,10 --seconds 5`: one fresh runtime and database per level.
const options = parseBenchArgs(process.argv.slice(2));
bundleRuntime();
const results: LevelResult[] = [];
for (const clients of options.clients) {
  process.stderr.write(`C=${clients}: ${options.seconds} s, ${options.resultBytes} B results…\n`);
  results.push(
    await runLevel({
      serverUrl: benchEnv.databaseUrl,
      clients,
      seconds: options.seconds,
      resultBytes: options.resultBytes,
      ...(options.intervalSeconds ? { intervalSeconds: options.intervalSeconds } : {}),
    }),
  );
}
process.stdout.write(`${formatTable(results)}\n`);
for (const result of results) {
  const drift = result.intervals ? formatDrift(result.intervals) : null;
  if (drift) process.stdout.write(`C=${result.clients} ${drift}\n`);
}
const file = writeResults(results, {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? null,
  statements: 'pg_stat_statements calls; null when the extension is not preloaded',
});
process.stdout.write(`written to ${file}\n`);
