/**
 * Uploading the model, result.json and the report as one workflow artifact.
 * Failures are returned, not thrown: the caller publishes the report first and then fails
 * the step with a message that says the report is out but the model is not.
 */
import { DefaultArtifactClient } from '@actions/artifact';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { githubRepository, githubRunId, githubServerUrl } from './env.js';

export interface UploadedArtifact {
  id: number;
  /** Link to the artifact on the run's page. */
  url: string;
  /** sha256 of the uploaded zip, as the service recorded it. */
  digest?: string;
  size?: number;
}

export type UploadOutcome = { ok: true; artifact: UploadedArtifact } | { ok: false; reason: string };

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * Uploads every file under `outDir` (model/, result.json, report.md, report.html, charts/),
 * keeping their layout inside the zip.
 */
export async function uploadRunArtifact(name: string, outDir: string, retentionDays?: number): Promise<UploadOutcome> {
  try {
    const files = await filesUnder(outDir);
    const client = new DefaultArtifactClient();
    const response = await client.uploadArtifact(name, files, outDir, retentionDays ? { retentionDays } : {});
    if (response.id === undefined) return { ok: false, reason: 'the artifact service returned no artifact id' };
    const { owner, repo } = githubRepository();
    return {
      ok: true,
      artifact: {
        id: response.id,
        url: `${githubServerUrl()}/${owner}/${repo}/actions/runs/${githubRunId()}/artifacts/${response.id}`,
        digest: response.digest,
        size: response.size,
      },
    };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
