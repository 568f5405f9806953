/**
 * The one owner of a run's live models: the winner so far (its backbone, its examples, its
 * fitted head and trunk) and the warm embedding workers. Stages hand it a new winner and it
 * frees whatever the new one no longer uses; at the end of the run, or when it fails, it
 * frees everything. Nothing else in the run disposes of a model it did not create and lose
 * itself (a stage still frees its own losers, e.g. bake-off candidates, at once).
 */
import type { FeatureExtractor } from '../backbones/zoo.js';
import type { EmbeddingPool } from '../embeddings/parallel.js';
import type { FittedModel, PreparedCandidate } from '../model/fitted.js';

export interface Winner {
  /** The candidate: its backbone and the examples its head is trained and tested on. */
  prepared: PreparedCandidate;
  fitted: FittedModel;
}

export class LiveModels {
  private current: Winner | null = null;
  private workers: EmbeddingPool | null;
  private closed = false;

  constructor(pool: EmbeddingPool | null = null) {
    this.workers = pool;
  }

  /** The run's warm embedding workers, when it embeds in worker threads. */
  get pool(): EmbeddingPool | undefined {
    return this.workers ?? undefined;
  }

  /** Whether a winner has been crowned yet (the bake-off does it). */
  get hasWinner(): boolean {
    return this.current !== null;
  }

  /** The winner so far: the one accessor every stage after the bake-off reads it through. */
  get winner(): Winner {
    if (!this.current) throw new Error('There is no winner yet: the bake-off must run before this stage.');
    return this.current;
  }

  /** Makes `next` the winner; the previous winner's trunk and backbone are freed unless `next` still uses them. */
  crown(next: Winner): void {
    if (this.closed) {
      free(next, null);
      throw new Error('The run is over: its models were freed.');
    }
    const previous = this.current;
    this.current = next;
    if (previous) free(previous, next);
  }

  /** Frees everything the run still holds. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.closed = true;
    const [winner, pool] = [this.current, this.workers];
    this.current = null;
    this.workers = null;
    if (winner) free(winner, null);
    await pool?.dispose();
  }
}

/** Frees what of `old` is not part of `kept`. */
function free(old: Winner, kept: Winner | null): void {
  if (old.fitted.trunk && old.fitted.trunk !== kept?.fitted.trunk) old.fitted.trunk.dispose();
  const extractor: FeatureExtractor | undefined = old.prepared.extractor;
  if (extractor && extractor !== kept?.prepared.extractor) extractor.dispose();
}
