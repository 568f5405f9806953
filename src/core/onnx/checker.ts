/**
 * The ONNX project's own checker (onnx.checker.check_model with full shape inference) on a
 * file, where a Python with the `onnx` module is installed (Debian: python3-onnx). Our
 * models are checked by ONNX Runtime loading them anyway; this is the stricter, standard
 * opinion, reported as passed, failed (with the checker's words) or unavailable.
 */
import { spawnSync } from 'node:child_process';

export interface OnnxCheck {
  status: 'passed' | 'failed' | 'unavailable';
  detail: string;
}

/** python3 on PATH may be another Python (pyenv) than the one python3-onnx installs into. */
export const DEFAULT_PYTHONS = ['python3', '/usr/bin/python3'];

// The model is loaded first: given a path, full_check writes the inferred shapes back into the file.
const CHECK = 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)';

/** The first of `pythons` that can import onnx, or null. */
export function pythonWithOnnx(pythons: string[] = DEFAULT_PYTHONS): string | null {
  return pythons.find((python) => spawnSync(python, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0) ?? null;
}

export function checkOnnxFile(path: string, pythons: string[] = DEFAULT_PYTHONS): OnnxCheck {
  const python = pythonWithOnnx(pythons);
  if (!python) return { status: 'unavailable', detail: 'no Python with the onnx module (install python3-onnx) to run the ONNX checker' };
  const run = spawnSync(python, ['-c', CHECK, path], { encoding: 'utf8' });
  if (run.status === 0) return { status: 'passed', detail: `onnx.checker.check_model (${python})` };
  const lines = (run.stderr || run.stdout || String(run.error ?? 'no output')).trim().split('\n');
  // "onnx.onnx_cpp2py_export.checker.ValidationError: …" → "ValidationError: …"
  return {
    status: 'failed',
    detail: lines
      .at(-1)!
      .replace(/^[\w.]+\.(\w+Error): /, '$1: ')
      .slice(0, 500),
  };
}
