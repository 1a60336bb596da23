/** `torch.nn.functional.*` functions of the losses / normalisation / linear ops. */
export { binaryCrossEntropyWithLogits, logSigmoid_ as logsigmoid, type Reduction } from '../ops/loss';
