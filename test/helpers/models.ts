/**
 * Small real models for loader tests, written the way TF.js writes them (model.json +
 * weights.bin), and a loopback HTTP server that serves a folder and counts requests.
 */
import * as tf from '@tensorflow/tfjs';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { after } from 'node:test';
import type { AddressInfo } from 'node:net';

/** A tiny functional conv net (feature maps out), saved to dir/model.json. */
export async function saveTinyConvModel(dir: string): Promise<void> {
  const input = tf.input({ shape: [16, 16, 3], name: 'img' });
  const conv = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), name: 'tiny_conv' })
    .apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: conv });
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          format: 'layers-model',
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
}

/** The graph model nsfwjs ships (MobileNetV2-mid, TF Hub style), written out as plain files. */
export function saveNsfwjsGraphModel(dir: string): void {
  const require = createRequire(import.meta.url);
  const base = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2_mid');
  const json = require(join(base, 'model.min.js'));
  mkdirSync(dir, { recursive: true });
  const paths: string[] = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths);
  for (const path of paths) writeFileSync(join(dir, path), Buffer.from(require(join(base, `${path}.min.js`)), 'base64'));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

export interface FolderServer {
  url: string;
  requests: string[];
}

/** Serves `root` on 127.0.0.1 with a random port; closed when the test file ends. */
export async function serveFolder(root: string): Promise<FolderServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
    requests.push(path);
    try {
      const file = normalize(join(root, path));
      if (!file.startsWith(root)) throw new Error('outside');
      const body = readFileSync(file);
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
