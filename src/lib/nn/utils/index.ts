/** `torch.nn.utils` */
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from './clipGrad';
