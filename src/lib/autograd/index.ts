/** `torch.autograd` */
export { backward, grad, detectAnomaly, setDetectAnomaly } from './api';
export { Node } from './node';
