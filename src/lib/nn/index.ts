/**
 * `torch.nn`: modules, parameters, initialisers and utilities.
 *
 * Module classes and `Parameter` can be called like PyTorch's (`nn.Linear(2, 16)`) or
 * constructed with `new`; both give the same object (see callable.ts). Their names are also
 * types (`let fc: nn.Linear`), and they can be subclassed (`class Net extends nn.Module`).
 * Module instances are callable: `model(x)` (see NOTE [Callable modules] in module.ts).
 */
import { callableClass } from './callable';
import type { AnyModule } from './module';
import * as activation from './modules/activation';
import * as container from './modules/container';
import * as dropoutModule from './modules/dropout';
import * as flattenModule from './modules/flatten';
import * as linearModule from './modules/linear';
import * as loss from './modules/loss';
import * as normalization from './modules/normalization';
import * as parameter from './parameter';

export * as functional from './functional';
export * as init from './init';
export * as utils from './utils';
export { Module, KeyError, AttributeError, NotImplementedError, type AnyModule, type IncompatibleKeys, type StateDictOptions } from './module';
export type { LinearOptions } from './modules/linear';
export type { InplaceOptions, GELUOptions, LeakyReLUOptions, SoftplusOptions, DimOptions } from './modules/activation';
export type { DropoutModuleOptions } from './modules/dropout';
export type { FlattenOptions } from './modules/flatten';
export type { LayerNormOptions } from './modules/normalization';
export type {
  Reduction, LossOptions, WeightedLossOptions, CrossEntropyLossOptions, NLLLossOptions, BCEWithLogitsLossOptions,
} from './modules/loss';

export const Parameter = callableClass(parameter.Parameter, 'Parameter');
export type Parameter = parameter.Parameter;

export const Linear = callableClass(linearModule.Linear, 'Linear');
export type Linear = linearModule.Linear;
export const Identity = callableClass(linearModule.Identity, 'Identity');
export type Identity = linearModule.Identity;

export const Sequential = callableClass(container.Sequential, 'Sequential');
export type Sequential = container.Sequential;
export const ModuleList = callableClass(container.ModuleList, 'ModuleList');
export type ModuleList<M extends AnyModule = AnyModule> = container.ModuleList<M>;

export const ReLU = callableClass(activation.ReLU, 'ReLU');
export type ReLU = activation.ReLU;
export const Sigmoid = callableClass(activation.Sigmoid, 'Sigmoid');
export type Sigmoid = activation.Sigmoid;
export const Tanh = callableClass(activation.Tanh, 'Tanh');
export type Tanh = activation.Tanh;
export const GELU = callableClass(activation.GELU, 'GELU');
export type GELU = activation.GELU;
export const SiLU = callableClass(activation.SiLU, 'SiLU');
export type SiLU = activation.SiLU;
export const LeakyReLU = callableClass(activation.LeakyReLU, 'LeakyReLU');
export type LeakyReLU = activation.LeakyReLU;
export const Softplus = callableClass(activation.Softplus, 'Softplus');
export type Softplus = activation.Softplus;
export const Softmax = callableClass(activation.Softmax, 'Softmax');
export type Softmax = activation.Softmax;
export const LogSoftmax = callableClass(activation.LogSoftmax, 'LogSoftmax');
export type LogSoftmax = activation.LogSoftmax;

export const Dropout = callableClass(dropoutModule.Dropout, 'Dropout');
export type Dropout = dropoutModule.Dropout;
export const Flatten = callableClass(flattenModule.Flatten, 'Flatten');
export type Flatten = flattenModule.Flatten;
export const LayerNorm = callableClass(normalization.LayerNorm, 'LayerNorm');
export type LayerNorm = normalization.LayerNorm;

export const MSELoss = callableClass(loss.MSELoss, 'MSELoss');
export type MSELoss = loss.MSELoss;
export const L1Loss = callableClass(loss.L1Loss, 'L1Loss');
export type L1Loss = loss.L1Loss;
export const CrossEntropyLoss = callableClass(loss.CrossEntropyLoss, 'CrossEntropyLoss');
export type CrossEntropyLoss = loss.CrossEntropyLoss;
export const NLLLoss = callableClass(loss.NLLLoss, 'NLLLoss');
export type NLLLoss = loss.NLLLoss;
export const BCELoss = callableClass(loss.BCELoss, 'BCELoss');
export type BCELoss = loss.BCELoss;
export const BCEWithLogitsLoss = callableClass(loss.BCEWithLogitsLoss, 'BCEWithLogitsLoss');
export type BCEWithLogitsLoss = loss.BCEWithLogitsLoss;
