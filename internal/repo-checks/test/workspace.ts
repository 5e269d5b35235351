import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = fileURLToPath(new URL('../../../', import.meta.url));

/** What these checks read of a package.json. */
export interface PackageJson {
  name: string;
  private?: boolean;
  license?: string;
  repository?: unknown;
  homepage?: string;
  bugs?: unknown;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Every package in a top-level folder of the workspace (`packages`, `internal`), with its folder. */
function packagesIn(parent: string): Array<{ folder: string; manifest: PackageJson }> {
  return readdirSync(`${root}${parent}`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      folder: `${parent}/${entry.name}`,
      manifest: JSON.parse(
        readFileSync(`${root}${parent}/${entry.name}/package.json`, 'utf8'),
      ) as PackageJson,
    }));
}

/** Every package under packages/ that is published (not private), with its folder. */
export function publishedPackages(): Array<{ folder: string; manifest: PackageJson }> {
  return packagesIn('packages').filter(({ manifest }) => !manifest.private);
}

/** The private packages under internal/: test suites and apps, never published. */
export function internalPackages(): Array<{ folder: string; manifest: PackageJson }> {
  return packagesIn('internal');
}

/**
 * Every shell command in a markdown document: lines of sh blocks (a line ending in `\` continued
 * on the next) and inline code spans.
 */
export function shellCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) =>
    (match[1] ?? '').replaceAll(/\\\n\s*/g, '').split('\n'),
  );
  const inline = [...markdown.replaceAll(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map(
    (match) => match[1] ?? '',
  );
  return [...blocks, ...inline]
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}
