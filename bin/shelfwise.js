#!/usr/bin/env node
// `npx shelfwise …`: runs the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/index.ts');
