/** What one `npm run bench` measures. */
export interface BenchOptions {
  /** The concurrency levels, each run on its own runtime and database. */
  readonly clients: readonly number[];
  /** How long each level drives round trips. */
  readonly seconds: number;
  /** Report each level every this many seconds too (`--soak` sets 60). */
  readonly intervalSeconds: number | null;
  /** The size of the text each tool result carries (the context grows by it at every call). */
  readonly resultBytes: number;
}

/** A small file's worth: what a tool result carries unless `--result-bytes` says otherwise. */
export const DEFAULT_RESULT_BYTES = 64;

const positive = (raw: string, flag: string): number => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag}: "${raw}" is not a positive integer`);
  return value;
};

/**
 * Parses `--clients 1,10,50,200`, `--seconds 10`, `--interval 60` and `--result-bytes 64` (all
 * optional). `--soak` stands for `--clients 50 --seconds 600 --interval 60`; flags after it
 * override it.
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let clients = [1, 10, 50, 200];
  let seconds = 10;
  let intervalSeconds: number | null = null;
  let resultBytes = DEFAULT_RESULT_BYTES;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1] ?? '';
    if (flag === '--soak') {
      [clients, seconds, intervalSeconds] = [[50], 600, 60];
      continue;
    }
    if (flag === '--clients') clients = value.split(',').map((c) => positive(c, flag));
    else if (flag === '--seconds') seconds = positive(value, flag);
    else if (flag === '--interval') intervalSeconds = positive(value, flag);
    else if (flag === '--result-bytes') resultBytes = positive(value, flag);
    else {
      throw new Error(
        `unknown argument ${flag}; use --clients 1,10 --seconds 10 --interval 60 ` +
          `--result-bytes 64, or --soak`,
      );
    }
    i += 1;
  }
  return { clients, seconds, intervalSeconds, resultBytes };
}
