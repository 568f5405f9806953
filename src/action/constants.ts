/** Input and output names of action.yml, in one place. */

export const Inputs = {
  DatasetPath: 'dataset-path',
  AllowDatasetSymlink: 'allow-dataset-symlink',
  EvalDatasetPath: 'eval-dataset-path',
  Backbones: 'backbones',
  BudgetSeconds: 'budget-seconds',
  Trials: 'trials',
  Epochs: 'epochs',
  FineTune: 'fine-tune',
  Augment: 'augment',
  Split: 'split',
  Seed: 'seed',
  MaxPixels: 'max-pixels',
  Comment: 'comment',
  ImageHost: 'image-host',
  ArtifactName: 'artifact-name',
  RetentionDays: 'retention-days',
  Cache: 'cache',
  CacheChunks: 'cache-chunks',
  Baseline: 'baseline',
  GithubToken: 'github-token',
  WorkingDirectory: 'working-directory',
  NativeBackend: 'native-backend',
} as const;

export const Outputs = {
  BestBackbone: 'best-backbone',
  TestAccuracy: 'test-accuracy',
  ValAccuracy: 'val-accuracy',
  ArtifactId: 'artifact-id',
  ArtifactUrl: 'artifact-url',
  ReportPath: 'report-path',
  ModelPath: 'model-path',
  ResultPath: 'result-path',
  CommentUrl: 'comment-url',
} as const;

/** Orphan branch that holds the report's chart images (content-addressed file names). */
export const ASSETS_BRANCH = 'classifier-ci-assets';

/** Bumped when the layout of the cached directory changes, so old entries are not restored. */
export const CACHE_KEY_VERSION = 'v1';
