/** `torch.nn.functional.*` functions of the pointwise / activation ops. */
export { sigmoid, tanh } from '../ops/unary';
export {
  relu, relu6, leakyRelu, gelu, silu, softplus, elu, hardtanh, softmax, logSoftmax,
  type InplaceOption, type LeakyReluOptions, type GeluOptions, type GeluApproximate, type SoftplusOptions,
  type EluOptions, type HardtanhOptions, type SoftmaxOptions,
} from '../ops/activation';
