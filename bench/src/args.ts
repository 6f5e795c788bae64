/** What one `npm run bench` measures. */
export interface BenchOptions {
  /** The concurrency levels, each run on its own runtime and database. */
  readonly clients: readonly number[];
  /** How long each level drives round trips. */
  readonly seconds: number;
}

const positive = (raw: string, flag: string): number => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag}: "${raw}" is not a positive integer`);
  return value;
};

/** Parses `--clients 1,10,50,200` and `--seconds 10` (both optional). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let clients = [1, 10, 50, 200];
  let seconds = 10;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1] ?? '';
    if (flag === '--clients') clients = value.split(',').map((c) => positive(c, flag));
    else if (flag === '--seconds') seconds = positive(value, flag);
    else throw new Error(`unknown argument ${flag}; use --clients 1,10 --seconds 10`);
    i += 1;
  }
  return { clients, seconds };
}
