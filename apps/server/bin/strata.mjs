#!/usr/bin/env node
// `strata` in the repository: runs the TypeScript entry through tsx, resolved from this package
// wherever the command is typed.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/strata.ts');
