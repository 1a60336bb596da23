import { RuntimeError } from '../errors';
import { formatShape, normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { promoteTypes } from './promote';
import { copyStrided } from './stridedCopy';
import { run1, type OpDef } from './registry';
import { narrow, select, sliceDef } from './indexing';
import { inScope } from '../capture/hooks';

/** Joining: `cat` (CatBackward0) and `stack` (StackBackward0), plus `hstack` / `vstack`. */

interface DimAttrs { dim: number }

/** PyTorch still skips 1-D empty tensors (shape [0]) in cat, whatever the other shapes are. */
function isLegacyEmpty(t: Tensor): boolean {
  return t.shape.length === 1 && t.shape[0] === 0;
}

function resultDtype(tensors: readonly Tensor[]): Tensor['dtype'] {
  return tensors.reduce((d, t) => promoteTypes(d, t.dtype), tensors[0].dtype);
}

/** The result dtype is a promotion of every input's, so storing the values as they are is exact. */
function writeInto(dst: Tensor, src: Tensor): void {
  copyStrided(dst, src);
}

export const catDef: OpDef<DimAttrs> = {
  name: 'cat',
  gradFn: 'CatBackward0',
  forward(tensors, { dim }) {
    const parts = tensors.filter((t) => !isLegacyEmpty(t));
    const dtype = resultDtype(tensors);
    if (parts.length === 0) return Tensor._empty([0], dtype);
    const shape = parts[0].shape.slice();
    shape[dim] = parts.reduce((n, t) => n + t.shape[dim], 0);
    const out = Tensor._empty(shape, dtype);
    let offset = 0;
    for (const t of parts) {
      const size = t.shape[dim];
      writeInto(sliceDef.forward([out], { dim, start: offset, end: offset + size, step: 1 }) as Tensor, t);
      offset += size;
    }
    return out;
  },
  backward: ({ grad, inputMeta, needsGrad, attrs: { dim } }) => {
    let offset = 0;
    return inputMeta.map((m, i) => {
      if (m.shape.length === 1 && m.shape[0] === 0) return needsGrad(i) ? Tensor._empty([0], grad.dtype) : null;
      const size = m.shape[dim];
      const g = needsGrad(i) ? narrow(grad, dim, offset, size) : null;
      offset += size;
      return g;
    });
  },
  doc: { torch: 'torch.cat', example: 'torch.cat([a, b], 1)', rule: 'each input gets its slice of grad' },
};

export const stackDef: OpDef<DimAttrs> = {
  name: 'stack',
  gradFn: 'StackBackward0',
  forward(tensors, { dim }) {
    const shape = tensors[0].shape.slice();
    shape.splice(dim, 0, tensors.length);
    const out = Tensor._empty(shape, resultDtype(tensors));
    tensors.forEach((t, i) => {
      const strides = out.strides.slice();
      strides.splice(dim, 1);
      writeInto(new Tensor(out._box, t.shape, out.dtype, strides, i * out.strides[dim]), t);
    });
    return out;
  },
  backward: ({ grad, inputMeta, needsGrad, attrs: { dim } }) =>
    inputMeta.map((_, i) => (needsGrad(i) ? select(grad, dim, i) : null)),
  doc: { torch: 'torch.stack', example: 'torch.stack([a, b], 0)', rule: 'each input gets its slice of grad (index i along dim)' },
};

export interface DimOption { dim?: number }

function dimArg(dim: number | DimOption | undefined): number {
  return typeof dim === 'object' ? dim.dim ?? 0 : dim ?? 0;
}

/** `torch.cat(tensors, dim=0)`; also `torch.cat(tensors, { dim })`. */
export function cat(tensors: readonly Tensor[], dim?: number | DimOption): Tensor {
  if (tensors.length === 0) throw new RuntimeError('torch.cat(): expected a non-empty list of Tensors');
  tensors.forEach((t, i) => {
    if (t.shape.length === 0) throw new RuntimeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const ref = tensors.find((t) => !isLegacyEmpty(t)) ?? tensors[0];
  const d = normalizeDim(dimArg(dim), ref.shape.length);
  tensors.forEach((t, i) => {
    if (isLegacyEmpty(t) || t === ref) return;
    if (t.shape.length !== ref.shape.length) {
      throw new RuntimeError(`Tensors must have same number of dimensions: got ${ref.shape.length} and ${t.shape.length}`);
    }
    for (let k = 0; k < ref.shape.length; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new RuntimeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ` +
          `${t.shape[k]} for tensor number ${i} in the list.`);
      }
    }
  });
  return run1(catDef, tensors, { dim: d });
}

/** `torch.stack(tensors, dim=0)`; also `torch.stack(tensors, { dim })`. */
export function stack(tensors: readonly Tensor[], dim?: number | DimOption): Tensor {
  if (tensors.length === 0) throw new RuntimeError('stack expects a non-empty TensorList');
  const ref = tensors[0];
  tensors.forEach((t, i) => {
    if (formatShape(t.shape) !== formatShape(ref.shape)) {
      throw new RuntimeError(
        `stack expects each tensor to be equal size, but got ${formatShape(ref.shape)} at entry 0 and ` +
        `${formatShape(t.shape)} at entry ${i}`);
    }
  });
  return run1(stackDef, tensors, { dim: normalizeDim(dimArg(dim), ref.shape.length + 1) });
}

/** `torch.hstack`: cat along dim 1 (dim 0 for 1-D tensors). */
export function hstack(tensors: readonly Tensor[]): Tensor {
  return inScope('hstack', 'composite', () => {
    const ts = tensors.map((t) => (t.shape.length === 0 ? t.reshape(1) : t));
    return cat(ts, ts[0]?.shape.length === 1 ? 0 : 1);
  });
}

/** `torch.vstack`: rows stacked (1-D tensors become rows). */
export function vstack(tensors: readonly Tensor[]): Tensor {
  return inScope('vstack', 'composite', () => cat(tensors.map(atLeast2d), 0));
}

/** `torch.atleast_2d` for one tensor: 0-dim → [1, 1], 1-D [n] → [1, n]. */
export function atLeast2d(t: Tensor): Tensor {
  if (t.shape.length === 0) return t.reshape(1, 1);
  if (t.shape.length === 1) return t.unsqueeze(0);
  return t;
}
