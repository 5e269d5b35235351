declare const __PACKAGE_VERSION__: string | undefined;

/** This package's version, set at build time; sent in the `User-Agent` header. */
export const VERSION: string =
  typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-development';
