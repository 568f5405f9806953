/**
 * A small builder for ONNX graphs: named nodes, float and int64 initializers (kept as typed
 * arrays until serialised, so a later layer can still fold into an earlier one's weights),
 * and inputs/outputs with symbolic dimensions. Serialised with onnx-proto.
 */
import onnxProto from 'onnx-proto';
import type { WeightTensor } from './layout.js';

const { onnx } = onnxProto;

/** ONNX opset the converter emits (Clip and Pad take their limits as inputs from 11 on). */
export const OPSET = 13;
const IR_VERSION = 7;

/** Integers and integer lists as INT(S); a float must be written { f: x } so 1.0 is never read as an int. */
export type AttributeValue = number | number[] | string | { f: number };

export type ElementType = 'float32' | 'uint8';
/** ONNX TensorProto.DataType numbers of the element types graphs here take. */
export const ELEMENT_TYPES: Record<ElementType, number> = { float32: onnx.TensorProto.DataType.FLOAT, uint8: onnx.TensorProto.DataType.UINT8 };

/** A dimension: a fixed size, or a name for a size known only at run time. */
export type Dim = number | string;

export class OnnxGraph {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly floats = new Map<string, WeightTensor>();
  private readonly int64s = new Map<string, { shape: number[]; values: number[] }>();
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();

  /** A tensor or node name not used yet, based on `base`. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node with one output and returns that output's name. */
  addNode(opType: string, inputs: string[], outputBase: string, attributes: Record<string, AttributeValue> = {}): string {
    const output = this.uniqueName(outputBase);
    this.nodes.push({
      opType,
      name: output,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  addFloat(base: string, tensor: WeightTensor): string {
    const name = this.uniqueName(base);
    this.floats.set(name, tensor);
    return name;
  }

  /** A float initializer added earlier, to fold constants into it. */
  float(name: string): WeightTensor | undefined {
    return this.floats.get(name);
  }

  addInt64(base: string, values: number[], shape: number[] = [values.length]): string {
    const name = this.uniqueName(base);
    this.int64s.set(name, { shape, values });
    return name;
  }

  addInput(name: string, shape: Dim[], type: ElementType = 'float32'): string {
    if (this.names.has(name)) throw new Error(`graph input name ${name} is taken`);
    this.names.add(name);
    this.inputs.push(valueInfo(name, shape, type));
    return name;
  }

  addOutput(name: string, shape: Dim[]): void {
    this.outputs.push(valueInfo(name, shape));
  }

  /** Parameters held by the float initializers. */
  get parameterCount(): number {
    let count = 0;
    for (const tensor of this.floats.values()) count += tensor.values.length;
    return count;
  }

  serialize(graphName: string, docString: string, metadata: Record<string, string> = {}): Uint8Array {
    const initializer: onnxProto.onnx.ITensorProto[] = [];
    for (const [name, tensor] of this.floats) {
      initializer.push({ name, dataType: onnx.TensorProto.DataType.FLOAT, dims: tensor.shape, rawData: bytesOf(tensor.values) });
    }
    for (const [name, tensor] of this.int64s) {
      initializer.push({ name, dataType: onnx.TensorProto.DataType.INT64, dims: tensor.shape, rawData: bytesOf(BigInt64Array.from(tensor.values, BigInt)) });
    }
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'classifier-ci',
      opsetImport: [{ domain: '', version: OPSET }],
      docString,
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: { name: graphName, node: this.nodes, initializer, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function bytesOf(array: Float32Array | BigInt64Array): Uint8Array {
  // ONNX raw data is little-endian, as typed arrays are on every platform Node runs on.
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'object') return { name, type: AttributeType.FLOAT, f: value.f };
  if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; write floats as { f: value }`);
  return { name, type: AttributeType.INT, i: value };
}

function valueInfo(name: string, shape: Dim[], type: ElementType = 'float32'): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: { elemType: ELEMENT_TYPES[type], shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } },
    },
  };
}
