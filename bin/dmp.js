#!/usr/bin/env node
// The `dmp` command. It loads the TypeScript sources through tsx, so a checkout runs without a build step
// (docs/adr/0004-typescript-without-a-build-step.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
