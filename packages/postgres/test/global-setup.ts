import { startPostgres } from '@datafast-checkout/testing';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the PostgreSQL server every test file of this package shares. */
    postgresUrl: string;
  }
}

// One real PostgreSQL server for every test file (each test uses tables of its own), stopped
// once they all ran.
export default async function setup(project: TestProject) {
  const engine = await startPostgres();
  project.provide('postgresUrl', engine.url);
  return () => engine.close();
}
