#!/usr/bin/env node
// The `ordo` command. Ordo runs from its TypeScript sources (no build step): register the tsx
// loader, then hand over to the composition root.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/app/cli.ts');
process.exitCode = await main(process.argv.slice(2));
