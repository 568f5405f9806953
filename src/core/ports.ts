/**
 * Side effects the engine needs, passed in by the adapter (CLI, action, tests) so that
 * all of them share one code path. The engine never writes to stdout or reads env vars.
 */

/** Where a message is about, so the action can annotate the offending file. */
export interface Location {
  /** Path relative to the dataset root. */
  file?: string;
}

export interface Logger {
  info(message: string): void;
  warn(message: string, where?: Location): void;
  /** Opens a named stage (a collapsible group in the action log); returns a function that closes it. */
  stage(title: string): () => void;
  /** Progress of a long step; called often, adapters throttle. `done` reaches `total` at the end. */
  progress(task: string, done: number, total: number): void;
}

/** A logger that drops everything: for library callers and tests that do not care. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  stage: () => () => {},
  progress: () => {},
};

/** Monotonic time in milliseconds; injectable so budget logic can be tested without sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };
