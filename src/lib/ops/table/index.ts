import type { OpDef } from '../registry';
import { coreOpDefs } from './core';
import { mathOpDefs } from './math';
import { nnOpDefs } from './nn';
import { shapeOpDefs } from './shape';

/**
 * Every primitive op of the library (see NOTE [The op table] in ../registry.ts), in one list:
 * the API reference is generated from it and a test checks that the reference is up to date.
 */
export const opTable: readonly OpDef<never>[] = [...coreOpDefs, ...mathOpDefs, ...shapeOpDefs, ...nnOpDefs];
