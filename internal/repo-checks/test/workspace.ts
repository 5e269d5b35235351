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

/** Every package under packages/ that is published (not private), with its folder. */
export function publishedPackages(): Array<{ folder: string; manifest: PackageJson }> {
  return readdirSync(`${root}packages`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      folder: `packages/${entry.name}`,
      manifest: JSON.parse(
        readFileSync(`${root}packages/${entry.name}/package.json`, 'utf8'),
      ) as PackageJson,
    }))
    .filter(({ manifest }) => !manifest.private);
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
