/** A logger that keeps what it was told, so tests can read warnings and errors. */
export function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    warn: (message: string) => lines.push(`warn: ${message}`),
    error: (message: string) => lines.push(`error: ${message}`),
  };
}
