/**
 * The CLI's Logger: progress bars on a terminal, plain lines otherwise (CI logs, pipes).
 * Everything goes to stderr so stdout stays clean for --json output.
 *
 * Messages name files and labels from the dataset, and the CLI also runs inside workflow
 * steps: each message goes through escapeLogLine, so it prints as exactly one line that cannot
 * move the cursor or issue a workflow command.
 */
import { escapeLogLine } from '../core/log-line.js';
import type { Logger } from '../core/ports.js';

export function terminalLogger(stream: NodeJS.WriteStream = process.stderr, quiet = false): Logger {
  const tty = Boolean(stream.isTTY);
  let barShown = false;
  const lastPlain = new Map<string, number>();
  const clearBar = () => {
    if (barShown) {
      stream.write('\r\x1b[K');
      barShown = false;
    }
  };
  const line = (text: string) => {
    clearBar();
    stream.write(`${text}\n`);
  };
  return {
    info: (message) => !quiet && line(escapeLogLine(message)),
    warn: (message) => line(`warning: ${escapeLogLine(message)}`),
    stage(title) {
      if (!quiet) line(`\n▸ ${escapeLogLine(title)}`);
      return () => clearBar();
    },
    progress(rawTask, done, total) {
      if (quiet || total <= 0) return;
      const task = escapeLogLine(rawTask);
      if (tty) {
        const width = 24;
        const filled = Math.round((done / total) * width);
        stream.write(`\r\x1b[K  ${task} [${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${done}/${total}`);
        barShown = true;
        if (done >= total) clearBar();
        return;
      }
      // Plain output: one line per quarter, so CI logs stay short.
      const quarter = Math.floor((done / total) * 4);
      if (quarter > (lastPlain.get(task) ?? -1) || done === total) {
        if (done === total && lastPlain.get(task) === 4) return;
        lastPlain.set(task, done === total ? 4 : quarter);
        stream.write(`  ${task}: ${done}/${total}\n`);
      }
    },
  };
}
