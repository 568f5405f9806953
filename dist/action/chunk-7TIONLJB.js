import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);

// src/core/training/head-settings.ts
function headSettings(config) {
  const settings = [
    config.solver === "lbfgs" ? "L-BFGS" : `Adam, lr ${config.learningRate}, batch ${config.batchSize}, hidden [${config.hiddenUnits.join(",")}], dropout ${config.dropout}`,
    `L2 ${config.weightDecay}`
  ];
  if (config.labelSmoothing) settings.push(`label smoothing ${config.labelSmoothing}`);
  if (config.scaling === "global") settings.push("one scale for all features");
  return settings.join(", ");
}

export {
  headSettings
};
