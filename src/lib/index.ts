/**
 * Gradscope's tensor library: PyTorch's tensor and autograd API in TypeScript.
 *
 *   import * as torch from 'gradscope';
 *   const w = torch.randn([5, 3], { requiresGrad: true });
 */
import './ops/wiring';

export { Tensor, type TensorHook, type RemovableHandle } from './tensor';
export type { DType } from './dtype';
export { RuntimeError, IndexError, ValueError, TorchError, catchWarnings, type TorchWarning } from './errors';
export { noGrad, enableGrad, setGradEnabled, isGradEnabled } from './autograd/gradMode';
export * as autograd from './autograd';
export * as nn from './nn';
export * as optim from './optim';
export { addmm, type AddmmOptions } from './ops/linear';

export {
  tensor, zeros, ones, empty, full, eye, arange, linspace, zerosLike, onesLike, fullLike, emptyLike, scalarTensor,
  type FactoryOptions,
} from './ops/creation';
export { manualSeed, initialSeed, randn, rand, randint, randperm, normal, bernoulli } from './ops/random';
export * from './exports/mathOps';
export * from './exports/shapeOps';
export { clone, detach } from './ops/copyOps';
export { setPrintOptions, getPrintOptions } from './print/formatTensor';
export { defaultDtype as getDefaultDtype, setDefaultDtype, type Scalar } from './ops/promote';

/** dtypes, as `torch.float32` etc. */
export const float32 = 'float32' as const;
export const float = 'float32' as const;
export const float64 = 'float64' as const;
export const double = 'float64' as const;
export const int64 = 'int64' as const;
export const long = 'int64' as const;
export const bool = 'bool' as const;
