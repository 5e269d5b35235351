#!/usr/bin/env node
// `npm create @datafast-checkout` (npm runs @datafast-checkout/create's bin): asks in a terminal,
// takes flags everywhere, writes the starter.
import { runCreate } from './main.js';

runCreate(process.argv.slice(2), {
  input: process.stdin,
  output: process.stdout,
  errors: process.stderr,
  interactive: process.stdin.isTTY === true,
  userAgent: process.env.npm_config_user_agent,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`create-datafast-checkout: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
