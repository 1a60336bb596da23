/** `torch.nn.functional.*` functions of the pointwise / activation ops. */
export { relu, sigmoid } from '../ops/pointwise';
