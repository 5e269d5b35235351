import { createInterface } from 'node:readline';

/** The terminal a prompt talks to: the lines typed, and where questions go. */
export interface Terminal {
  lines: AsyncIterator<string>;
  output: NodeJS.WritableStream;
  close(): void;
}

/** An option the prompt offers. */
export interface Choice {
  label: string;
  hint: string;
}

/**
 * A {@link Terminal} on these streams. Lines typed ahead of a question wait for it.
 *
 * @example
 * const terminal = openTerminal(process.stdin, process.stdout)
 */
export function openTerminal(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Terminal {
  const rl = createInterface({ input, terminal: false });
  return { lines: rl[Symbol.asyncIterator](), output, close: () => rl.close() };
}

async function question({ lines, output }: Terminal, text: string): Promise<string> {
  output.write(text);
  const { value, done } = await lines.next();
  if (done) throw new Error('no answer: the input ended');
  return value.trim();
}

/**
 * Asks for one of `options` by its number; Enter takes the first. Asks again until the answer
 * is one of them.
 *
 * @example
 * const template = await choose(terminal, 'Which framework?', TEMPLATES)
 */
export async function choose<T extends Choice>(
  terminal: Terminal,
  heading: string,
  options: readonly T[],
): Promise<T> {
  const list = options.map((option, i) => `  ${i + 1}. ${option.label}  (${option.hint})`);
  terminal.output.write(`${heading}\n${list.join('\n')}\n`);
  while (true) {
    const answer = await question(terminal, `Choose 1-${options.length} [1]: `);
    const chosen = answer === '' ? options[0] : options[Number(answer) - 1];
    if (chosen && /^\d*$/.test(answer)) return chosen;
    terminal.output.write(`Type a number from 1 to ${options.length}.\n`);
  }
}

/**
 * Asks for a line of text; Enter takes `fallback`.
 *
 * @example
 * const directory = await ask(terminal, 'Project folder', 'my-shop')
 */
export async function ask(terminal: Terminal, text: string, fallback: string): Promise<string> {
  return (await question(terminal, `${text} [${fallback}]: `)) || fallback;
}
