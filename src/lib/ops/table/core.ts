import type { OpDef } from '../registry';
import { cloneDef, copyDef, fillDef, toCopyDef, zeroDef } from '../copyOps';

/** Ops of the core modules (copies and casts). */
export const coreOpDefs: OpDef<never>[] = [cloneDef, toCopyDef, copyDef, fillDef, zeroDef] as OpDef<never>[];
