/** `torch.nn.functional.*` functions of the linear and dropout ops (re-exported by nn/functional.ts). */
export { linear } from '../ops/linear';
export { dropout, type DropoutOptions } from '../ops/dropout';
