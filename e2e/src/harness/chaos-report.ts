import type { ProofSize } from './provided';
import type { RuntimeProcess } from './runtime-process';

/** The command that replays a storm: the same seed gives the same random choices. */
export function replayCommand(proof: ProofSize, file: string): string {
  return `BATON_PROOF_SEED=${proof.seed} BATON_PROOF_SCALE=${proof.scale} npx vitest run ${file}`;
}

/** The warnings and errors (pino level ≥ 40) the runtimes logged, last `max`, each with its process. */
export function runtimeWarnings(processes: readonly RuntimeProcess[], max = 40): string[] {
  return processes
    .flatMap((p, index) =>
      p.logs.filter((line) => /"level":(40|50|60)/.test(line)).map((line) => `#${index}: ${line}`),
    )
    .slice(-max);
}

/** The processes that have exited, each with how (code or signal) and its last `tail` lines. */
export function exitedProcesses(processes: readonly RuntimeProcess[], tail = 15): string[] {
  return processes.flatMap((p, index) => {
    const { exitCode, signalCode } = p.child;
    if (exitCode === null && signalCode === null) return [];
    return [
      `#${index} (pid ${p.child.pid}) exited with ${signalCode ?? `code ${exitCode}`}:`,
      ...p.logs.slice(-tail).map((line) => `  ${line}`),
    ];
  });
}
