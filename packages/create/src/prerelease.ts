/**
 * What to install before the packages' first release, when `npm install` answers E404: the
 * tarballs of every `@datafast-checkout` package the project depends on, and core, which each of
 * them depends on (npm would fetch it from the registry otherwise), as the repository's README
 * packs them (`pnpm --filter "./packages/*" pack --pack-destination ~/datafast-packs`).
 *
 * @example
 * prereleaseTarballs({ dependencies: { '@datafast-checkout/next': '^0.0.0' } }, '0.0.0')
 * // ['~/datafast-packs/datafast-checkout-core-0.0.0.tgz', '~/datafast-packs/datafast-checkout-next-0.0.0.tgz']
 */
export function prereleaseTarballs(
  manifest: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> },
  version: string,
): string[] {
  const names = new Set(['@datafast-checkout/core']);
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (name.startsWith('@datafast-checkout/')) names.add(name);
  }
  return [...names]
    .sort()
    .map((name) => `~/datafast-packs/${name.slice(1).replace('/', '-')}-${version}.tgz`);
}

/** True for a version no registry has yet: the repository's unreleased `0.0.0`. */
export const isUnreleased = (version: string) => version === '0.0.0';
