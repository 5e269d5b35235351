// Running the release tools (npm, pnpm, changeset, attw) as child processes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * The environment for npm and pnpm. A parent `pnpm run` sets lower-case `npm_*` variables for its
 * own config (its rc file as npm's `globalconfig`, among others), which would mislead npm;
 * upper-case `NPM_CONFIG_*` set on purpose (a registry mirror) are kept.
 */
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_'))),
  NO_COLOR: '1',
};

/**
 * Runs a command and resolves with its standard output; on failure, rejects with an error that
 * holds its output, so the reason is in the log.
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @returns {Promise<string>}
 * @example await run('npm', ['install'], app)
 */
export async function run(command, args, cwd) {
  try {
    return (await exec(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
  }
}
