declare const __PACKAGE_VERSION__: string | undefined;

/** This package's version, inlined at build time (tsup.base.ts), so no package.json is bundled. */
export const VERSION: string =
  typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-development';
