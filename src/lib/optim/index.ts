/**
 * `torch.optim`: `SGD`, `Adam`, `AdamW` (callable with or without `new`, like the nn modules:
 * `optim.SGD(model.parameters(), { lr: 0.1 })`) and the `Optimizer` base class.
 */
import { callableClass } from '../nn/callable';
import * as adam from './adam';
import * as sgd from './sgd';

export {
  Optimizer, type ParamGroup, type ParamGroupInput, type ParamsInput, type ParamState, type OptimizerStateDict,
} from './optimizer';
export type { SGDOptions } from './sgd';
export type { AdamOptions } from './adam';

export const SGD = callableClass(sgd.SGD, 'SGD');
export type SGD = sgd.SGD;
export const Adam = callableClass(adam.Adam, 'Adam');
export type Adam = adam.Adam;
export const AdamW = callableClass(adam.AdamW, 'AdamW');
export type AdamW = adam.AdamW;
