#!/usr/bin/env node
// The `baton` command. Baton's packages ship TypeScript source; tsx compiles it on the fly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
