/** What replaces the API key wherever it is found. */
const redactedMark = '[redacted]';

/**
 * `text` with every occurrence of `secret` replaced: what each answer's body goes through. The
 * walk over whole errors (`redact.ts`) builds on it.
 *
 * @example
 * redactText('Bearer df_123 refused', 'df_123') // 'Bearer [redacted] refused'
 */
export function redactText(text: string, secret: string): string {
  return secret && text.includes(secret) ? text.split(secret).join(redactedMark) : text;
}
