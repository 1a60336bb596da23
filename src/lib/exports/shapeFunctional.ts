/** `torch.nn.functional.*` functions of the loss and normalisation ops. */
export {
  mseLoss, l1Loss, binaryCrossEntropy, binaryCrossEntropyWithLogits, logsigmoid,
  type Reduction, type LossOptions, type BceOptions, type BceWithLogitsOptions,
} from '../ops/loss';
export { crossEntropy, nllLoss, type CrossEntropyOptions, type NllLossOptions } from '../ops/classLoss';
export { layerNorm, type LayerNormOptions } from '../ops/normalization';
