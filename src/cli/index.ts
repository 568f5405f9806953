import { main } from './main.js';

// `classifier-ci predict … | head` closes stdout early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// Ctrl-C, `kill` or a cancelled CI job: one line and the shell's code (128 + signal number).
// Every cache and output file is written atomically (temp + rename), so stopping at any
// point leaves nothing torn, and the next run reuses the embeddings already cached.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    process.stderr.write(
      `${process.stderr.isTTY ? '\n' : ''}classifier-ci: stopped by ${signal}. Finished work is kept in the cache; run the same command again to resume.\n`,
    );
    process.exit(code);
  });
}

process.exitCode = await main(process.argv.slice(2));
