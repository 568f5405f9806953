/**
 * The runner's side of a step run in the test process: the workflow commands it reads from
 * the step's stdout, and the outputs it reads from GITHUB_OUTPUT.
 */

/**
 * Runs `work` and returns the strings it wrote to stdout, where @actions/core writes its
 * commands. Only strings are captured: the test runner's own reports to its parent are
 * Buffers, and they may be written in the meantime, so they must get through.
 */
export async function captureStdout(work: () => unknown): Promise<string> {
  const original = process.stdout.write;
  let out = '';
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (original as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    out += chunk;
    return true;
  };
  try {
    await work();
  } finally {
    process.stdout.write = original;
  }
  return out;
}

/** Reads a GITHUB_OUTPUT file: `name<<delimiter`, value lines, `delimiter`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
    outputs[m[1]] = value.join('\n');
  }
  return outputs;
}
