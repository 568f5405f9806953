/** Types for scripts/runtime-lock.mjs (plain JavaScript, so the build runs without TypeScript). */
export interface RuntimeLockFiles {
  packageJson: string;
  packageLock: string;
}
export function runtimeLock(rootLock: unknown, names: string[], version: string): RuntimeLockFiles;
export const RUNTIME_SETS: { always: string[]; none: string[]; cpu: string[]; gpu: string[] };
export function runtimeLocks(rootLock: unknown, version: string): Record<'none' | 'cpu' | 'gpu', RuntimeLockFiles>;
