/**
 * Where a store writes its changes: the `--data` file, seen only through what a store calls, so
 * the stores do not depend on the file (which reads their records back).
 */
export interface DataSaver {
  /** Writes the current data; resolves when a write that includes it is on disk. */
  save(): Promise<void>;
  /** Resolves when no write is pending. */
  flush(): Promise<void>;
}
