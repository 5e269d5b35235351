import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * Runs an app's command (`datafast-devserver -- node server.js`) beside the devserver, with
 * `env` added to its environment, and resolves with its exit code once it has exited, so that
 * the devserver outlives it and still receives the reports the app flushes on its way out.
 *
 * Signals: SIGTERM (a process manager, a test) is passed on to the app, once. SIGINT is not: a
 * terminal's Ctrl-C reaches the whole process group, the app included, and a second signal
 * makes apps give up their shutdown work (`flushOnShutdown` does). Ctrl-C again reaches the app
 * again.
 *
 * @example
 * const code = await runAppCommand(['next', 'dev'], { DATAFAST_BASE_URL: dev.url })
 */
export function runAppCommand(command: string[], env: Record<string, string>): Promise<number> {
  const [file = '', ...args] = command;
  const child = spawn(file, args, {
    env: { ...process.env, ...env },
    stdio: 'inherit',
    // `next`, `vite` and friends are .cmd files on Windows, which only a shell runs.
    shell: process.platform === 'win32',
  });
  const passOn = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const ignore = () => {};
  process.once('SIGTERM', passOn);
  // Listening keeps the default (exit at once) away from SIGINT while the app shuts down.
  process.on('SIGINT', ignore);

  return new Promise<number>((resolve) => {
    let settled = false;
    const done = (code: number) => {
      if (settled) return;
      settled = true;
      process.off('SIGTERM', passOn);
      process.off('SIGINT', ignore);
      resolve(code);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      console.error(
        `datafast-devserver: could not run ${file}: ${error.code === 'ENOENT' ? 'command not found' : error.message}`,
      );
      done(127);
    });
    child.once('exit', (code, signal) => {
      const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
      console.log(`datafast-devserver: ${file} exited (${signal ?? `code ${code}`})`);
      done(status);
    });
  });
}
