import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);

// src/core/atomic.ts
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { dirname, basename, join } from "node:path";

// src/core/errors.ts
var InputError = class extends Error {
  constructor(message, subject) {
    super(message);
    this.subject = subject;
  }
  subject;
  name = "InputError";
  exitCode = 2;
};
var TrainingError = class extends Error {
  name = "TrainingError";
  exitCode = 3;
};
function isUserFacingError(error) {
  return error instanceof InputError || error instanceof TrainingError;
}

// src/core/atomic.ts
async function writeFileAtomic(path, data) {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw explainWriteError(error, path);
  }
}
function explainWriteError(error, path) {
  const code = error?.code;
  if (code === "ENOSPC")
    return new InputError(
      `The disk is full: could not write ${path}. Free some space (or point --cache-dir/--out elsewhere) and run again; finished work in the cache is kept.`,
      path
    );
  if (code === "EACCES" || code === "EPERM")
    return new InputError(`Permission denied writing ${path}. Choose a folder you can write to with --out or --cache-dir.`, path);
  if (code === "EROFS") return new InputError(`${path} is on a read-only file system. Choose a writable folder with --out or --cache-dir.`, path);
  return error;
}

export {
  InputError,
  TrainingError,
  isUserFacingError,
  writeFileAtomic,
  explainWriteError
};
