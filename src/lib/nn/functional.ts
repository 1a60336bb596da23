/** `torch.nn.functional` */
export * from '../exports/mathFunctional';
export * from '../exports/shapeFunctional';
