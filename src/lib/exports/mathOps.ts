/** `torch.*` functions of the pointwise / reduction / activation ops (re-exported by src/lib/index.ts). */
export { add, sub, mul, div, neg, reciprocal, exp, log, sigmoid, relu, gt } from '../ops/pointwise';
export { sum, mean } from '../ops/reduction';
