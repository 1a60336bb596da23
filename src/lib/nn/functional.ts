/** `torch.nn.functional` */
export { relu, sigmoid } from '../ops/pointwise';
export { binaryCrossEntropyWithLogits, logSigmoid_ as logSigmoid, type Reduction } from '../ops/loss';
