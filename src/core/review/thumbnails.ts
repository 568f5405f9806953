/**
 * Thumbnails of the first label suspects, so a reviewer sees the picture next to its label.
 * Only the first few: the comment shows no more, and result.json stays small.
 */
import type { DatasetReview } from '../result.js';

/** Suspects that get a thumbnail (the first, most suspicious ones). */
export const SUSPECT_THUMBNAILS = 20;

/** Longest side of a thumbnail, in pixels (the same as the test mistakes'). */
const SIDE = 96;

type Suspect = DatasetReview['labelSuspects'][number];

/**
 * The suspects with a small JPEG (data: URL) on the first `limit`; a file that cannot be read
 * or decoded keeps no thumbnail (the review is advice: it never fails on a picture).
 */
export async function withSuspectThumbnails(suspects: Suspect[], pathOf: (file: string) => string | undefined, limit = SUSPECT_THUMBNAILS): Promise<Suspect[]> {
  const sharp = (await import('sharp')).default;
  return Promise.all(
    suspects.map(async (suspect, i) => {
      const path = i < limit ? pathOf(suspect.file) : undefined;
      if (!path) return suspect;
      try {
        const jpeg = await sharp(path, { failOn: 'none', animated: false })
          .rotate()
          .flatten({ background: '#ffffff' })
          .resize(SIDE, SIDE, { fit: 'inside' })
          .jpeg({ quality: 80 })
          .toBuffer();
        return { ...suspect, thumbnail: `data:image/jpeg;base64,${jpeg.toString('base64')}` };
      } catch {
        return suspect;
      }
    }),
  );
}
