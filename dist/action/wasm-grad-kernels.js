import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  registerWasmGradientKernels
} from "./chunk-ZO3YFCMU.js";
import "./chunk-MS7UHTHQ.js";
export {
  registerWasmGradientKernels
};
