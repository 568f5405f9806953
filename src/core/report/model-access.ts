/**
 * How the reader of a report gets the model, told by the caller: the CLI knows the folder
 * (relative to where it was started), the action knows the artifact and the run that holds
 * it. The report never shows the folder the run wrote to, which means nothing to a reviewer.
 */
import { jsString, shellWord } from './format.js';

export type ModelAccess =
  /** The model is on this machine, at `path` (relative to where the reader works). */
  | { kind: 'folder'; path: string }
  /** The model is in a workflow artifact: result.json, model/ and the report files. */
  | { kind: 'artifact'; artifact: string; runId: number; runUrl: string; repository: string };

/** What the report says about getting and using the model. */
export interface ModelHowTo {
  /** The model folder as the reader will have it. */
  folder: string;
  /** Getting the artifact first; null when the model is already at `folder`. */
  download: { artifact: string; runId: number; runUrl: string; command: string } | null;
  predictCommand: string;
  code: string;
}

/** The folder the artifact is downloaded into by the `gh` command the report shows. */
export const DOWNLOAD_DIR = 'classifier-ci-run';

export function modelHowTo(access: ModelAccess): ModelHowTo {
  const folder = access.kind === 'folder' ? access.path : 'model/';
  const download =
    access.kind === 'artifact'
      ? {
          artifact: access.artifact,
          runId: access.runId,
          runUrl: access.runUrl,
          command: `gh run download ${access.runId} -R ${shellWord(access.repository)} -n ${shellWord(access.artifact)} -D ${DOWNLOAD_DIR} && cd ${DOWNLOAD_DIR}`,
        }
      : null;
  return {
    folder,
    download,
    predictCommand: `npx classifier-ci predict ${shellWord(folder)} image.jpg`,
    code: `import { loadClassifier } from 'classifier-ci';\n\nconst c = await loadClassifier(${jsString(folder)});\nawait c.classify('image.jpg');`,
  };
}
