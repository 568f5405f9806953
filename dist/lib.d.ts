import { InferenceSession } from 'onnxruntime-node';
import { z } from 'zod';

/** The part of an InferenceSession the extractor uses. */
export type OrtSession = Pick<InferenceSession, "inputNames" | "outputNames" | "run" | "release">;
/** Creates a session from a model file or its bytes (injected in tests to stand in for a missing CUDA). */
export type SessionFactory = (model: string | Uint8Array, options: InferenceSession.SessionOptions) => Promise<OrtSession>;
/** The onnxruntime-node module as loaded at run time (an import type: the library's bundled types keep it). */
export type OnnxRuntime = typeof import("onnxruntime-node");
export declare const SCHEMA_VERSION = 2;
declare const SkippedFile: z.ZodObject<{
	file: z.ZodString;
	reason: z.ZodString;
}, z.core.$strip>;
export type SkippedFile = z.infer<typeof SkippedFile>;
declare const TestMetrics: z.ZodObject<{
	images: z.ZodNumber;
	accuracy: z.ZodNumber;
	topK: z.ZodNullable<z.ZodObject<{
		k: z.ZodNumber;
		accuracy: z.ZodNumber;
	}, z.core.$strip>>;
	macroF1: z.ZodNumber;
	perLabel: z.ZodArray<z.ZodObject<{
		label: z.ZodString;
		precision: z.ZodNumber;
		recall: z.ZodNumber;
		f1: z.ZodNumber;
		support: z.ZodNumber;
	}, z.core.$strip>>;
	confusion: z.ZodObject<{
		labels: z.ZodArray<z.ZodString>;
		matrix: z.ZodArray<z.ZodArray<z.ZodNumber>>;
	}, z.core.$strip>;
	mistakes: z.ZodArray<z.ZodObject<{
		file: z.ZodString;
		sha256: z.ZodString;
		trueLabel: z.ZodString;
		predictedLabel: z.ZodString;
		confidence: z.ZodNumber;
		thumbnail: z.ZodOptional<z.ZodString>;
	}, z.core.$strip>>;
	accuracyInterval: z.ZodOptional<z.ZodObject<{
		low: z.ZodNumber;
		high: z.ZodNumber;
		method: z.ZodLiteral<"wilson">;
	}, z.core.$strip>>;
	calibration: z.ZodOptional<z.ZodObject<{
		temperature: z.ZodNumber;
		fittedOn: z.ZodNumber;
		fittedWith: z.ZodDefault<z.ZodEnum<{
			validation: "validation";
			"out-of-fold": "out-of-fold";
		}>>;
		eceBefore: z.ZodNumber;
		eceAfter: z.ZodNumber;
		bins: z.ZodNumber;
	}, z.core.$strip>>;
	calibrationSkipped: z.ZodOptional<z.ZodObject<{
		reason: z.ZodString;
		ece: z.ZodNumber;
		bins: z.ZodNumber;
	}, z.core.$strip>>;
}, z.core.$strip>;
export type TestMetrics = z.infer<typeof TestMetrics>;
export declare const RunResult: z.ZodObject<{
	schemaVersion: z.ZodLiteral<2>;
	startedAt: z.ZodString;
	finishedAt: z.ZodString;
	seed: z.ZodNumber;
	config: z.ZodObject<{
		backbones: z.ZodArray<z.ZodString>;
		budgetSeconds: z.ZodNumber;
		trials: z.ZodNumber;
		epochs: z.ZodNumber;
		fineTune: z.ZodEnum<{
			auto: "auto";
			true: "true";
			false: "false";
		}>;
		split: z.ZodObject<{
			train: z.ZodNumber;
			val: z.ZodNumber;
			test: z.ZodNumber;
		}, z.core.$strip>;
		seed: z.ZodNumber;
	}, z.core.$strip>;
	backend: z.ZodObject<{
		name: z.ZodString;
		package: z.ZodString;
		gpu: z.ZodBoolean;
		threads: z.ZodNumber;
		skipped: z.ZodArray<z.ZodObject<{
			backend: z.ZodString;
			reason: z.ZodString;
		}, z.core.$strip>>;
		inference: z.ZodOptional<z.ZodObject<{
			engine: z.ZodEnum<{
				onnxruntime: "onnxruntime";
				tfjs: "tfjs";
			}>;
			provider: z.ZodString;
			threads: z.ZodNumber;
			skipped: z.ZodArray<z.ZodObject<{
				engine: z.ZodString;
				reason: z.ZodString;
			}, z.core.$strip>>;
			trainsSmallCnn: z.ZodOptional<z.ZodBoolean>;
		}, z.core.$strip>>;
	}, z.core.$strip>;
	dataset: z.ZodObject<{
		root: z.ZodString;
		fingerprint: z.ZodString;
		labels: z.ZodArray<z.ZodString>;
		images: z.ZodNumber;
		counts: z.ZodArray<z.ZodObject<{
			label: z.ZodString;
			train: z.ZodNumber;
			val: z.ZodNumber;
			test: z.ZodNumber;
			total: z.ZodNumber;
		}, z.core.$strip>>;
		splitMode: z.ZodEnum<{
			hash: "hash";
			explicit: "explicit";
		}>;
		splitCounts: z.ZodObject<{
			train: z.ZodNumber;
			val: z.ZodNumber;
			test: z.ZodNumber;
		}, z.core.$strip>;
		skipped: z.ZodArray<z.ZodObject<{
			file: z.ZodString;
			reason: z.ZodString;
		}, z.core.$strip>>;
		warnings: z.ZodArray<z.ZodString>;
		typicalSide: z.ZodOptional<z.ZodNumber>;
		files: z.ZodOptional<z.ZodArray<z.ZodObject<{
			file: z.ZodString;
			label: z.ZodString;
			sha256: z.ZodString;
			split: z.ZodEnum<{
				train: "train";
				val: "val";
				test: "test";
			}>;
		}, z.core.$strip>>>;
	}, z.core.$strip>;
	bakeOff: z.ZodObject<{
		candidates: z.ZodArray<z.ZodObject<{
			backbone: z.ZodString;
			displayName: z.ZodString;
			kind: z.ZodEnum<{
				frozen: "frozen";
				scratch: "scratch";
			}>;
			solver: z.ZodOptional<z.ZodEnum<{
				adam: "adam";
				lbfgs: "lbfgs";
			}>>;
			inputSize: z.ZodNumber;
			featureDim: z.ZodNumber;
			backboneParams: z.ZodNumber;
			valAccuracy: z.ZodNumber;
			valLoss: z.ZodNumber;
			bestEpoch: z.ZodNumber;
			epochs: z.ZodNumber;
			embedSeconds: z.ZodNumber;
			trainSeconds: z.ZodNumber;
			embeddingsComputed: z.ZodNumber;
			embeddingsCached: z.ZodNumber;
			curve: z.ZodArray<z.ZodObject<{
				epoch: z.ZodNumber;
				trainLoss: z.ZodNumber;
				trainAccuracy: z.ZodNumber;
				valLoss: z.ZodNumber;
				valAccuracy: z.ZodNumber;
			}, z.core.$strip>>;
			error: z.ZodOptional<z.ZodString>;
			ensemble: z.ZodOptional<z.ZodObject<{
				members: z.ZodArray<z.ZodString>;
			}, z.core.$strip>>;
			cv: z.ZodOptional<z.ZodObject<{
				folds: z.ZodNumber;
				mean: z.ZodNumber;
				low: z.ZodNumber;
				high: z.ZodNumber;
				method: z.ZodEnum<{
					"t-interval": "t-interval";
					wilson: "wilson";
				}>;
				note: z.ZodOptional<z.ZodString>;
			}, z.core.$strip>>;
			augment: z.ZodOptional<z.ZodObject<{
				rule: z.ZodString;
				augmentations: z.ZodArray<z.ZodEnum<{
					crop: "crop";
					flip: "flip";
					colour: "colour";
					rotate: "rotate";
				}>>;
				flipCheck: z.ZodOptional<z.ZodObject<{
					allowed: z.ZodBoolean;
					plainAccuracy: z.ZodNumber;
					flippedAccuracy: z.ZodNumber;
				}, z.core.$strip>>;
				views: z.ZodNumber;
				viewRows: z.ZodOptional<z.ZodNumber>;
				kept: z.ZodBoolean;
				without: z.ZodObject<{
					valAccuracy: z.ZodNumber;
					valLoss: z.ZodNumber;
				}, z.core.$strip>;
				with: z.ZodOptional<z.ZodObject<{
					valAccuracy: z.ZodNumber;
					valLoss: z.ZodNumber;
				}, z.core.$strip>>;
				embedSeconds: z.ZodNumber;
				embeddingsComputed: z.ZodNumber;
				embeddingsCached: z.ZodNumber;
				note: z.ZodString;
			}, z.core.$strip>>;
			tta: z.ZodOptional<z.ZodObject<{
				view: z.ZodEnum<{
					flip: "flip";
					zoom: "zoom";
				}>;
				plainAccuracy: z.ZodNumber;
				ttaAccuracy: z.ZodNumber;
				paid: z.ZodBoolean;
			}, z.core.$strip>>;
		}, z.core.$strip>>;
		winner: z.ZodString;
		plan: z.ZodOptional<z.ZodArray<z.ZodObject<{
			backbone: z.ZodString;
			reason: z.ZodString;
		}, z.core.$strip>>>;
		selection: z.ZodOptional<z.ZodObject<{
			rule: z.ZodString;
			reason: z.ZodString;
			runnerUp: z.ZodNullable<z.ZodString>;
		}, z.core.$strip>>;
	}, z.core.$strip>;
	tuning: z.ZodObject<{
		backbone: z.ZodString;
		strategy: z.ZodString;
		trials: z.ZodArray<z.ZodObject<{
			index: z.ZodNumber;
			config: z.ZodObject<{
				solver: z.ZodDefault<z.ZodEnum<{
					adam: "adam";
					lbfgs: "lbfgs";
				}>>;
				learningRate: z.ZodNumber;
				batchSize: z.ZodNumber;
				hiddenUnits: z.ZodArray<z.ZodNumber>;
				dropout: z.ZodNumber;
				weightDecay: z.ZodNumber;
				labelSmoothing: z.ZodNumber;
				epochs: z.ZodNumber;
				scaling: z.ZodOptional<z.ZodEnum<{
					feature: "feature";
					global: "global";
				}>>;
				schedule: z.ZodOptional<z.ZodEnum<{
					constant: "constant";
					cosine: "cosine";
				}>>;
			}, z.core.$strip>;
			valAccuracy: z.ZodNumber;
			valLoss: z.ZodNumber;
			epochs: z.ZodNumber;
			seconds: z.ZodNumber;
			rung: z.ZodNumber;
			status: z.ZodEnum<{
				seed: "seed";
				completed: "completed";
				pruned: "pruned";
			}>;
			curve: z.ZodArray<z.ZodObject<{
				epoch: z.ZodNumber;
				trainLoss: z.ZodNumber;
				trainAccuracy: z.ZodNumber;
				valLoss: z.ZodNumber;
				valAccuracy: z.ZodNumber;
			}, z.core.$strip>>;
			cv: z.ZodOptional<z.ZodObject<{
				folds: z.ZodNumber;
				mean: z.ZodNumber;
				low: z.ZodNumber;
				high: z.ZodNumber;
				method: z.ZodEnum<{
					"t-interval": "t-interval";
					wilson: "wilson";
				}>;
				note: z.ZodOptional<z.ZodString>;
			}, z.core.$strip>>;
		}, z.core.$strip>>;
		bestTrial: z.ZodNumber;
		best: z.ZodObject<{
			solver: z.ZodDefault<z.ZodEnum<{
				adam: "adam";
				lbfgs: "lbfgs";
			}>>;
			learningRate: z.ZodNumber;
			batchSize: z.ZodNumber;
			hiddenUnits: z.ZodArray<z.ZodNumber>;
			dropout: z.ZodNumber;
			weightDecay: z.ZodNumber;
			labelSmoothing: z.ZodNumber;
			epochs: z.ZodNumber;
			scaling: z.ZodOptional<z.ZodEnum<{
				feature: "feature";
				global: "global";
			}>>;
			schedule: z.ZodOptional<z.ZodEnum<{
				constant: "constant";
				cosine: "cosine";
			}>>;
		}, z.core.$strip>;
		choice: z.ZodOptional<z.ZodObject<{
			rule: z.ZodString;
			reason: z.ZodString;
			folds: z.ZodOptional<z.ZodNumber>;
			bakeOffHead: z.ZodOptional<z.ZodObject<{
				folds: z.ZodNumber;
				mean: z.ZodNumber;
				low: z.ZodNumber;
				high: z.ZodNumber;
				method: z.ZodEnum<{
					"t-interval": "t-interval";
					wilson: "wilson";
				}>;
				note: z.ZodOptional<z.ZodString>;
			}, z.core.$strip>>;
		}, z.core.$strip>>;
		fineTune: z.ZodObject<{
			applied: z.ZodBoolean;
			reason: z.ZodString;
			valAccuracy: z.ZodOptional<z.ZodNumber>;
		}, z.core.$strip>;
		refit: z.ZodOptional<z.ZodObject<{
			applied: z.ZodBoolean;
			reason: z.ZodString;
			images: z.ZodOptional<z.ZodNumber>;
			epochs: z.ZodOptional<z.ZodNumber>;
		}, z.core.$strip>>;
		classWeights: z.ZodOptional<z.ZodObject<{
			applied: z.ZodBoolean;
			ratio: z.ZodNullable<z.ZodNumber>;
			threshold: z.ZodNumber;
			weights: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodNumber>>;
		}, z.core.$strip>>;
		seconds: z.ZodNumber;
	}, z.core.$strip>;
	test: z.ZodObject<{
		images: z.ZodNumber;
		accuracy: z.ZodNumber;
		topK: z.ZodNullable<z.ZodObject<{
			k: z.ZodNumber;
			accuracy: z.ZodNumber;
		}, z.core.$strip>>;
		macroF1: z.ZodNumber;
		perLabel: z.ZodArray<z.ZodObject<{
			label: z.ZodString;
			precision: z.ZodNumber;
			recall: z.ZodNumber;
			f1: z.ZodNumber;
			support: z.ZodNumber;
		}, z.core.$strip>>;
		confusion: z.ZodObject<{
			labels: z.ZodArray<z.ZodString>;
			matrix: z.ZodArray<z.ZodArray<z.ZodNumber>>;
		}, z.core.$strip>;
		mistakes: z.ZodArray<z.ZodObject<{
			file: z.ZodString;
			sha256: z.ZodString;
			trueLabel: z.ZodString;
			predictedLabel: z.ZodString;
			confidence: z.ZodNumber;
			thumbnail: z.ZodOptional<z.ZodString>;
		}, z.core.$strip>>;
		accuracyInterval: z.ZodOptional<z.ZodObject<{
			low: z.ZodNumber;
			high: z.ZodNumber;
			method: z.ZodLiteral<"wilson">;
		}, z.core.$strip>>;
		calibration: z.ZodOptional<z.ZodObject<{
			temperature: z.ZodNumber;
			fittedOn: z.ZodNumber;
			fittedWith: z.ZodDefault<z.ZodEnum<{
				validation: "validation";
				"out-of-fold": "out-of-fold";
			}>>;
			eceBefore: z.ZodNumber;
			eceAfter: z.ZodNumber;
			bins: z.ZodNumber;
		}, z.core.$strip>>;
		calibrationSkipped: z.ZodOptional<z.ZodObject<{
			reason: z.ZodString;
			ece: z.ZodNumber;
			bins: z.ZodNumber;
		}, z.core.$strip>>;
	}, z.core.$strip>;
	model: z.ZodObject<{
		dir: z.ZodString;
		backbone: z.ZodString;
		inputSize: z.ZodNumber;
		files: z.ZodArray<z.ZodObject<{
			name: z.ZodString;
			bytes: z.ZodNumber;
			sha256: z.ZodString;
		}, z.core.$strip>>;
		layers: z.ZodArray<z.ZodObject<{
			name: z.ZodString;
			className: z.ZodString;
			outputShape: z.ZodString;
			params: z.ZodNumber;
			trainable: z.ZodBoolean;
		}, z.core.$strip>>;
		trainableParams: z.ZodNumber;
		nonTrainableParams: z.ZodNumber;
		onnx: z.ZodOptional<z.ZodObject<{
			written: z.ZodBoolean;
			reason: z.ZodOptional<z.ZodString>;
			checker: z.ZodEnum<{
				passed: "passed";
				failed: "failed";
				unavailable: "unavailable";
			}>;
			only: z.ZodOptional<z.ZodBoolean>;
			opset: z.ZodOptional<z.ZodObject<{
				version: z.ZodNumber;
				why: z.ZodString;
			}, z.core.$strip>>;
		}, z.core.$strip>>;
	}, z.core.$strip>;
	budget: z.ZodObject<{
		seconds: z.ZodNumber;
		usedSeconds: z.ZodNumber;
		exhausted: z.ZodBoolean;
	}, z.core.$strip>;
	timings: z.ZodArray<z.ZodObject<{
		stage: z.ZodEnum<{
			total: "total";
			ensemble: "ensemble";
			augment: "augment";
			fineTune: "fineTune";
			refit: "refit";
			scan: "scan";
			decode: "decode";
			embed: "embed";
			bakeOff: "bakeOff";
			tuning: "tuning";
			evaluate: "evaluate";
			export: "export";
			elsewhere: "elsewhere";
			review: "review";
		}>;
		seconds: z.ZodNumber;
	}, z.core.$strip>>;
	versions: z.ZodObject<{
		classifierCi: z.ZodString;
		tfjs: z.ZodString;
		node: z.ZodString;
		sharp: z.ZodString;
	}, z.core.$strip>;
	review: z.ZodOptional<z.ZodObject<{
		backbone: z.ZodString;
		method: z.ZodString;
		labelSuspects: z.ZodArray<z.ZodObject<{
			file: z.ZodString;
			label: z.ZodString;
			suggested: z.ZodString;
			confidence: z.ZodNumber;
			sha256: z.ZodOptional<z.ZodString>;
			thumbnail: z.ZodOptional<z.ZodString>;
		}, z.core.$strip>>;
		nearDuplicates: z.ZodArray<z.ZodObject<{
			files: z.ZodTuple<[
				z.ZodString,
				z.ZodString
			], null>;
			similarity: z.ZodNumber;
			embeddingSimilarity: z.ZodOptional<z.ZodNumber>;
			crossSplit: z.ZodBoolean;
			crossLabel: z.ZodBoolean;
			splits: z.ZodOptional<z.ZodTuple<[
				z.ZodString,
				z.ZodString
			], null>>;
			labels: z.ZodOptional<z.ZodTuple<[
				z.ZodString,
				z.ZodString
			], null>>;
		}, z.core.$strip>>;
		outliers: z.ZodArray<z.ZodObject<{
			file: z.ZodString;
			label: z.ZodString;
			score: z.ZodNumber;
		}, z.core.$strip>>;
		leak: z.ZodOptional<z.ZodObject<{
			testImages: z.ZodNumber;
			leakedTestImages: z.ZodNumber;
			accuracy: z.ZodNumber;
			accuracyWithoutLeaks: z.ZodNullable<z.ZodNumber>;
		}, z.core.$strip>>;
		diff: z.ZodOptional<z.ZodObject<{
			added: z.ZodArray<z.ZodObject<{
				file: z.ZodString;
				label: z.ZodString;
			}, z.core.$strip>>;
			removed: z.ZodArray<z.ZodObject<{
				file: z.ZodString;
				label: z.ZodString;
			}, z.core.$strip>>;
			relabelled: z.ZodArray<z.ZodObject<{
				file: z.ZodString;
				from: z.ZodString;
				to: z.ZodString;
			}, z.core.$strip>>;
		}, z.core.$strip>>;
	}, z.core.$strip>>;
	elsewhere: z.ZodOptional<z.ZodObject<{
		dataset: z.ZodString;
		metrics: z.ZodObject<{
			images: z.ZodNumber;
			accuracy: z.ZodNumber;
			topK: z.ZodNullable<z.ZodObject<{
				k: z.ZodNumber;
				accuracy: z.ZodNumber;
			}, z.core.$strip>>;
			macroF1: z.ZodNumber;
			perLabel: z.ZodArray<z.ZodObject<{
				label: z.ZodString;
				precision: z.ZodNumber;
				recall: z.ZodNumber;
				f1: z.ZodNumber;
				support: z.ZodNumber;
			}, z.core.$strip>>;
			confusion: z.ZodObject<{
				labels: z.ZodArray<z.ZodString>;
				matrix: z.ZodArray<z.ZodArray<z.ZodNumber>>;
			}, z.core.$strip>;
			mistakes: z.ZodArray<z.ZodObject<{
				file: z.ZodString;
				sha256: z.ZodString;
				trueLabel: z.ZodString;
				predictedLabel: z.ZodString;
				confidence: z.ZodNumber;
				thumbnail: z.ZodOptional<z.ZodString>;
			}, z.core.$strip>>;
			accuracyInterval: z.ZodOptional<z.ZodObject<{
				low: z.ZodNumber;
				high: z.ZodNumber;
				method: z.ZodLiteral<"wilson">;
			}, z.core.$strip>>;
			calibration: z.ZodOptional<z.ZodObject<{
				temperature: z.ZodNumber;
				fittedOn: z.ZodNumber;
				fittedWith: z.ZodDefault<z.ZodEnum<{
					validation: "validation";
					"out-of-fold": "out-of-fold";
				}>>;
				eceBefore: z.ZodNumber;
				eceAfter: z.ZodNumber;
				bins: z.ZodNumber;
			}, z.core.$strip>>;
			calibrationSkipped: z.ZodOptional<z.ZodObject<{
				reason: z.ZodString;
				ece: z.ZodNumber;
				bins: z.ZodNumber;
			}, z.core.$strip>>;
		}, z.core.$strip>;
		ece: z.ZodNumber;
		seen: z.ZodNumber;
		unreadable: z.ZodArray<z.ZodObject<{
			file: z.ZodString;
			reason: z.ZodString;
		}, z.core.$strip>>;
		missingLabels: z.ZodArray<z.ZodString>;
		gap: z.ZodOptional<z.ZodObject<{
			mean: z.ZodNumber;
			low: z.ZodNumber;
			high: z.ZodNumber;
		}, z.core.$strip>>;
	}, z.core.$strip>>;
}, z.core.$strip>;
export type RunResult = z.infer<typeof RunResult>;
export declare function parseRunResult(json: unknown, source?: string): RunResult;
/** What the choice looks at; each part is injectable so tests can stand in for a machine without ORT or CUDA. */
export interface EngineProbes {
	/** Loads onnxruntime-node. Default: the real package. */
	loadRuntime?: () => Promise<OnnxRuntime>;
	/** Creates ORT sessions (the CUDA check and every backbone). Default: onnxruntime-node's. */
	createSession?: SessionFactory;
	/** Whether an NVIDIA driver is present (device 'auto' tries CUDA only then). Default: /proc/driver/nvidia/version exists. */
	nvidiaDriver?: () => boolean;
	/** Intra-op threads for the CPU provider. Default: the number of cores. */
	threads?: number;
}
declare const AUGMENTATIONS: readonly [
	"crop",
	"flip",
	"colour",
	"rotate"
];
export type Augmentation = (typeof AUGMENTATIONS)[number];
export type AugmentSetting = "auto" | "off" | Augmentation[];
export interface SplitRatios {
	train: number;
	val: number;
	test: number;
}
export interface TrainOptions {
	/** Dataset folder (`<label>/<image>`) or a `.zip` of one. */
	datasetPath: string;
	/** Where result.json, model/ and the report go. Default: `runs/<dataset name>`. */
	outDir: string;
	/** Embedding and backbone download cache. Default: `.cache/classifier-ci` in the working directory. */
	cacheDir: string;
	/** Backbone ids or URLs/paths, or ['auto'] for the default set. Default ['auto']. */
	backbones: string[];
	/** Wall-clock budget for the whole run, in seconds. Default 600. */
	budgetSeconds: number;
	/** Maximum number of trials in the hyperparameter round. Default 12. */
	trials: number;
	/** Maximum epochs per head training (early stopping usually stops sooner). Default 60. */
	epochs: number;
	/** Fine-tune the winner's top block: 'auto' when the budget allows. Default 'auto'. */
	fineTune: "auto" | "true" | "false";
	/** Split ratios, summing to 1. Default 0.7/0.15/0.15. */
	split: SplitRatios;
	/** Seed for splits, initialisation, shuffling and search. Default 42. */
	seed: number;
	/** Embedding worker threads. Default: one per core. */
	workers: number;
	/** Images with more pixels than this are refused (decompression bombs). Default 100 megapixels. */
	maxPixels: number;
	/** Inference engine for frozen backbones: 'auto' (ONNX Runtime when it loads, else TF.js WASM), 'onnx' or 'tfjs'. Default 'auto'. */
	engine?: "auto" | "onnx" | "tfjs";
	/** Where ONNX Runtime runs: 'gpu' asks for CUDA, 'auto' tries it when an NVIDIA driver is present; both fall back to the CPU. Default 'auto'. */
	device?: "auto" | "cpu" | "gpu";
	/** Review the dataset after training (label suspects, near-duplicates, outliers; review/). Default true. */
	review?: boolean;
	/**
	 * A labelled folder of images from another source (`<label>/<image>`, labels among the
	 * dataset's), scored with the exported model after export as `classifier-ci evaluate` does;
	 * checked before training starts. Its scoring is not counted in the budget. Default: none.
	 */
	evalDataset?: string;
	/**
	 * Augmented views of the training images for heads on embeddings, and test-time augmentation
	 * measured on validation: 'auto' (flips only where the data allows them), 'off', or a list
	 * of augmentations (dataset/augment-policy.ts). Default 'off': on the benchmarks so far the
	 * views have not paid (BENCHMARKS.md), and they cost embedding time the final fit needs.
	 */
	augment?: AugmentSetting;
}
export declare const DEFAULTS: {
	backbones: string[];
	budgetSeconds: number;
	trials: number;
	epochs: number;
	fineTune: "auto";
	split: SplitRatios;
	seed: number;
	maxPixels: number;
};
/** Parses "0.7,0.15,0.15" or "70/15/15" into ratios that sum to 1. */
export declare function parseSplit(text: string): SplitRatios;
interface Location$1 {
	/** Path relative to the dataset root. */
	file?: string;
}
export interface Logger {
	info(message: string): void;
	warn(message: string, where?: Location$1): void;
	/** Opens a named stage (a collapsible group in the action log); returns a function that closes it. */
	stage(title: string): () => void;
	/** Progress of a long step; called often, adapters throttle. `done` reaches `total` at the end. */
	progress(task: string, done: number, total: number): void;
}
/** A logger that drops everything: for library callers and tests that do not care. */
export declare const silentLogger: Logger;
/** Monotonic time in milliseconds; injectable so budget logic can be tested without sleeping. */
export interface Clock {
	now(): number;
}
export interface PipelineDeps {
	log: Logger;
	clock?: Clock;
	/** Wall-clock time for the result's timestamps; injectable for reproducible tests. */
	date?: () => Date;
	/** How the inference engine is probed (ONNX Runtime, CUDA); injectable to stand in for other machines. */
	engineProbes?: EngineProbes;
}
/** Runs a whole training and writes `<outDir>/result.json` and `<outDir>/model/`. */
export declare function train(options: TrainOptions, deps: PipelineDeps): Promise<RunResult>;
declare const TTA_VIEWS: readonly [
	"flip",
	"zoom"
];
export type TtaView = (typeof TTA_VIEWS)[number];
/** preprocessing.json → tta: the view, and what it scored on validation when the model was trained. */
export interface TtaRecipe {
	view: TtaView;
	paid: boolean;
	plainAccuracy: number;
	ttaAccuracy: number;
}
declare const CLASSIFIER_ENGINES: readonly [
	"auto",
	"onnx",
	"tfjs"
];
export type ClassifierEngineChoice = (typeof CLASSIFIER_ENGINES)[number];
/** The engine a loaded classifier runs on. */
export type ClassifierEngine = Exclude<ClassifierEngineChoice, "auto">;
export interface ClassifierEngineOptions {
	/** Default 'auto': ONNX when the folder has model.onnx and onnxruntime-node loads, else TF.js. */
	engine?: ClassifierEngineChoice;
	/** Loads onnxruntime-node (injected in tests to stand in for a runtime that does not load). */
	loadRuntime?: () => Promise<OnnxRuntime>;
	/** ONNX Runtime intra-op threads. Default: the number of cores. */
	threads?: number;
}
export interface Classification {
	label: string;
	confidence: number;
	/** Probability per label, in labels.json order. */
	probabilities: Record<string, number>;
}
export interface Classifier {
	labels: string[];
	inputSize: number;
	/** What computes the probabilities: model.onnx in ONNX Runtime, or model.json in TF.js. */
	engine: ClassifierEngine;
	classify(image: string | Uint8Array): Promise<Classification>;
	/** Classifies decoded RGB bytes (n × size × size × 3) in one batch; returns n × labels probabilities. */
	classifyPixels(pixels: Uint8Array, n: number): Promise<Float32Array>;
	/** Frees the model; resolves once ONNX Runtime has released its session. */
	dispose(): Promise<void>;
}
export interface LoadClassifierOptions extends ClassifierEngineOptions {
	/** Test-time augmentation: average each image's probabilities with its view's, as preprocessing.json's tta says (tta.ts). Default false. */
	tta?: boolean;
}
export declare function loadClassifier(dir: string, options?: LoadClassifierOptions): Promise<Classifier & {
	tta?: TtaRecipe;
}>;
export type SplitName = "train" | "val" | "test";
export interface ImageRecord {
	/** Absolute path on disk. */
	path: string;
	/** Path relative to the dataset root, with forward slashes (what users see). */
	file: string;
	label: string;
	sha256: string;
	bytes: number;
	/** Set when the dataset uses an explicit train/ val/ test/ layout. */
	split?: SplitName;
}
export interface ScanResult {
	records: ImageRecord[];
	skipped: SkippedFile[];
	explicitSplits: boolean;
}
/** A score with how sure it is: a mean and its 95% interval, and how the interval was made. */
export interface Estimate {
	mean: number;
	low: number;
	high: number;
	method: "t-interval" | "wilson";
}
export interface FolderEvaluation {
	/** The same metrics as the test split's at training, over this folder's readable images. */
	metrics: TestMetrics;
	/** Expected calibration error of the model's (calibrated) probabilities here, with ECE_BINS bins. */
	ece: number;
	/** Images that could not be decoded: left out of the metrics. */
	unreadable: {
		file: string;
		reason: string;
	}[];
	/**
	 * Images the model trained on (its train or validation split, found by content in the run's
	 * result.json beside the model folder): left out, since a score on them says nothing of new
	 * images. Empty where there is no such result.json.
	 */
	seen: string[];
	/** Files the scan did not take as images (not an image, hidden, outside a label folder). */
	skipped: SkippedFile[];
	/** The model's labels that have no images in this folder. */
	missingLabels: string[];
	/** The test split's accuracy when the model was trained (its metrics.json), where the model folder has it. */
	atTraining?: {
		images: number;
		accuracy: number;
	};
	/** This folder's accuracy minus the test split's, in [-1, 1], with its 95% interval. */
	gap?: Estimate;
	/** With a confidence threshold (options.minConfidence): how many images get an answer at it, and how many of those are right. */
	atMinConfidence?: {
		threshold: number;
		answered: number;
		right: number;
	};
}
export interface EvaluateFolderOptions {
	/** Where a .zip dataset is extracted (dataset/zip.ts). Default: DEFAULT_CACHE_DIR. */
	workDir?: string;
	/** Called after each image, for progress on a long folder. */
	onImage?: (done: number, total: number) => void;
	/** The folder's scan, when the caller already checked it (checkFolder). */
	scan?: ScanResult;
	/** Content hashes of the images the model trained on; default: read from the run's result.json beside the model folder. */
	trainedOn?: Set<string>;
	/** The test split's metrics at training; default: the model folder's metrics.json. */
	atTraining?: Pick<TestMetrics, "images" | "accuracy">;
	/** A threshold as predict --min-confidence takes it: also count the answers at or above it. Default: none. */
	minConfidence?: number;
}
/**
 * Classifies every image of `dataset` (`<label>/<image>`, labels among the model's: checkFolder)
 * with `classifier`, exactly as `predict` does, and scores the answers, leaving out the images
 * the model trained on.
 */
export declare function evaluateFolder(classifier: Classifier, modelDir: string, dataset: string, options?: EvaluateFolderOptions): Promise<FolderEvaluation>;
/**
 * Failure policy, in one place.
 *
 * - InputError: the user's data or configuration is wrong. The run stops with a message that
 *   names the file, label or option and says what to do. Exit code 2.
 * - TrainingError: training itself failed (e.g. every candidate crashed). Exit code 3.
 * - Anything else is a bug: the CLI prints it with a request to report it. Exit code 1.
 *
 * Service trouble in the adapters (cache, artifact upload, PR comment) is never an error
 * here: the adapters turn it into a warning and carry on.
 */
export declare class InputError extends Error {
	/** The file (relative to the dataset root) or option the message is about, if any. */
	readonly subject?: string | undefined;
	readonly name = "InputError";
	readonly exitCode = 2;
	constructor(message: string, 
	/** The file (relative to the dataset root) or option the message is about, if any. */
	subject?: string | undefined);
}
export declare class TrainingError extends Error {
	readonly name = "TrainingError";
	readonly exitCode = 3;
}

export {};
