/** The benchmark as a library: run one level, format and write results. */
export { runLevel, type LevelResult } from './level';
export { formatTable, writeResults } from './report';
export { percentile } from './stats';
