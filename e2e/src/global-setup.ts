import { bundleRuntime } from './harness/runtime-bundle';

/** The scenarios start the runtime as `npm start` does, from its bundle: build it first. */
export default function globalSetup(): void {
  bundleRuntime();
}
