import type { OpDef } from '../registry';
import { addmmDef } from '../linear';

/** Ops defined by the nn modules (linear; dropout is composite: bernoulli noise × MulBackward0). */
export const nnOpDefs: OpDef<never>[] = [addmmDef] as OpDef<never>[];
