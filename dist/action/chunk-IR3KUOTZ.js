import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);

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

export {
  InputError,
  TrainingError,
  isUserFacingError
};
