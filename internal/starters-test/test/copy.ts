import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The environment of a copy's commands: this one without what pnpm and turbo set for the
 * workspace (`npm_*`, `PNPM_*`, `TURBO_*`), so npm runs as it does for a user.
 */
export function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    // Nor the test runner's own (NODE_ENV=test, VITEST_*): a build under NODE_ENV=test is a
    // development build (Vite keeps a NODE_ENV it finds), which no user's `npm run build` makes.
    Object.entries(process.env).filter(
      ([name]) => !/^(npm_|PNPM_|TURBO_|VITEST)/i.test(name) && name !== 'NODE_ENV',
    ),
  );
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

/** Runs a command in a copy; rejects with everything it printed when it fails. */
export function run(dir: string, command: string, args: string[], env = userEnvironment()) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else
        reject(
          new Error(`${command} ${args.join(' ')} in ${dir} exited ${signal ?? code}:\n${output}`),
        );
    });
  });
}

/**
 * An example folder copied as a user gets it from the repository (`git clone`, `degit`): the
 * files git tracks, nothing built or installed.
 */
export async function copyExample(example: string, dir: string): Promise<void> {
  const { stdout } = await promisify(execFile)('git', ['ls-files', '-z', `examples/${example}`], {
    cwd: root,
  });
  const files = stdout.split('\0').filter(Boolean);
  if (files.length === 0) throw new Error(`git tracks no file of examples/${example}`);
  for (const file of files) {
    const target = join(dir, file.slice(`examples/${example}/`.length));
    await mkdir(join(target, '..'), { recursive: true });
    await cp(join(root, file), target);
  }
}

/** The example's package.json in the workspace, to resolve what its install holds from. */
export function exampleManifest(example: string): string {
  return join(root, 'examples', example, 'package.json');
}

/**
 * Points the copy's `@datafast-checkout/*` dependencies at the packed tarballs, and, with npm
 * `overrides`, theirs too: what `npm install` would fetch from the registry after a release.
 */
export async function useTarballs(dir: string, tarballs: Record<string, string>): Promise<void> {
  const file = join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  const specs = Object.fromEntries(
    Object.entries(tarballs).map(([name, path]) => [name, `file:${path}`]),
  );
  for (const field of ['dependencies', 'devDependencies']) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      if (name.startsWith('@datafast-checkout/')) {
        if (!specs[name]) {
          throw new Error(
            `${dir} depends on ${name}, which was not packed: add it to the devDependencies of internal/starters-test (test/pack.ts packs those)`,
          );
        }
        manifest[field][name] = specs[name];
      }
    }
  }
  // An override of a direct dependency must be the same spec as the dependency: it is.
  manifest.overrides = specs;
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A project's script run beside the devserver (`npm run dev`, `npm run preview`). */
export interface DevScript {
  /** The devserver's address, from its banner. */
  devserverUrl: string;
  /** The app's address, as the banner's `App` line prints it: what a user opens. */
  appUrl: string;
  output(): string;
  /** Stops the whole process group (the dev servers of frameworks start workers). */
  stop(): Promise<void>;
}

/**
 * Resolves once `url` answers HTTP with any status but 503, or rejects when `gone` settles first.
 * `nuxt dev` listens at once and answers 503 (its loading page) to every request until its first
 * build is done.
 */
async function answering(url: string, gone: Promise<unknown>): Promise<void> {
  let exited = false;
  void gone.then(() => {
    exited = true;
  });
  while (!exited) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      if (response.status !== 503) return;
    } catch {
      // Readiness probe: the next connection attempt is the event being waited for.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`exited before ${url} answered`);
}

/**
 * Runs one of a project's scripts that start the devserver and the app beside it (`dev`,
 * `preview`), as `npm run` does (a shell, the project's bins on PATH), with the devserver on a
 * free port (`--port 0`) instead of 4100 and the app on `PORT`, so that it never meets another
 * run on this machine; nothing else is set. Resolves once the banner has said where both are and
 * the app answers at the address it printed.
 */
export async function startDevScript(
  dir: string,
  script: string,
  port: number,
  /** A Node binary to run the script on (first on PATH); default the PATH's. */
  node?: string,
): Promise<DevScript> {
  if (!/\bdatafast-devserver /.test(script))
    throw new Error(`the script does not start the devserver: ${script}`);
  const command = script.replace(/\bdatafast-devserver /, 'datafast-devserver --port 0 ');
  const child = spawn('/bin/sh', ['-c', command], {
    cwd: dir,
    env: userEnvironment({
      PORT: String(port),
      PATH: [
        join(dir, 'node_modules/.bin'),
        ...(node ? [dirname(node)] : []),
        process.env.PATH,
      ].join(delimiter),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const printed = new Promise<{ devserverUrl: string; appUrl: string }>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk;
      // Vite and Next colour their banners when CI forces colour (FORCE_COLOR): read the text.
      const text = stripVTControlCharacters(output);
      const devserverUrl = /DATAFAST_BASE_URL=(\S+)/.exec(text)?.[1];
      const appUrl = /^\s+App\s+(http:\/\/\S+)/m.exec(text)?.[1];
      if (devserverUrl && appUrl) resolve({ devserverUrl, appUrl });
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    exited.then(() => reject(new Error(`the script exited before its banner:\n${output}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    process.kill(-child.pid, 'SIGTERM');
    const killer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    const urls = await printed;
    await answering(urls.appUrl, exited).catch((error: Error) => {
      throw new Error(`${error.message}:\n${output}`);
    });
    return { ...urls, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
