/** PyTorch-compatible CPU random number generation (see generator.ts). */
export { DEFAULT_SEED, Generator, defaultGenerator, type GeneratorState } from './generator';
export {
  calculateFanInAndFanOut, calculateGain, dropoutMask, initLinear, kaimingNormalStd, kaimingUniformBound,
  leakyReluGain, linearBiasBound, type Nonlinearity, xavierNormalStd, xavierUniformBound,
} from './init';
