/** The backbones a run compares: the requested names, `auto` expanded, duplicates dropped. */
import { autoBackbones, parseBackboneSpec, type BackboneSpec } from '../backbones/zoo.js';

export function resolveBackbones(requested: string[], nativeBackend: boolean, typicalSide?: number | null): BackboneSpec[] {
  const names = requested.flatMap((b) => (b.trim().toLowerCase() === 'auto' ? autoBackbones(nativeBackend, typicalSide) : [b]));
  const specs = names.map(parseBackboneSpec);
  const seen = new Set<string>();
  return specs.filter((s) => !seen.has(s.id) && seen.add(s.id));
}
