/** The backbones a run compares: the requested names, `auto` expanded, duplicates dropped. */
import { autoBackbones, parseBackboneSpec, type BackboneSpec } from '../backbones/zoo.js';

export function resolveBackbones(
  requested: string[],
  nativeBackend: boolean,
  typicalSide?: number | null,
  engine: 'onnxruntime' | 'tfjs' = 'tfjs',
): BackboneSpec[] {
  return resolveWithOrigin(requested, nativeBackend, typicalSide, engine).specs;
}

/** As resolveBackbones, also telling which ids `auto` chose (the budget may shrink those, never the user's own). */
export function resolveWithOrigin(
  requested: string[],
  nativeBackend: boolean,
  typicalSide: number | null | undefined,
  engine: 'onnxruntime' | 'tfjs',
): { specs: BackboneSpec[]; fromAuto: Set<string> } {
  const fromAuto = new Set<string>();
  const named = new Set<string>();
  const specs: BackboneSpec[] = [];
  for (const entry of requested) {
    const isAuto = entry.trim().toLowerCase() === 'auto';
    for (const name of isAuto ? autoBackbones(nativeBackend, typicalSide, engine) : [entry]) {
      const spec = parseBackboneSpec(name);
      (isAuto ? fromAuto : named).add(spec.id);
      if (!specs.some((s) => s.id === spec.id)) specs.push(spec);
    }
  }
  for (const id of named) fromAuto.delete(id);
  return { specs, fromAuto };
}
