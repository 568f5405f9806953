import pkg from '../../package.json' with { type: 'json' };

/** classifier-ci's own version, recorded in every RunResult. */
export const VERSION: string = pkg.version;
