/** `torch.nn.functional` */
export * from '../exports/mathFunctional';
export * from '../exports/shapeFunctional';
export * from '../exports/nnFunctional';
