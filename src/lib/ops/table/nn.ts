import type { OpDef } from '../registry';

/** Ops defined by the nn modules (linear, dropout ...). */
export const nnOpDefs: OpDef<never>[] = [] as OpDef<never>[];
