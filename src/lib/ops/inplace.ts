import { isFloating, scalarTypeName, type DType } from '../dtype';
import { RuntimeError } from '../errors';
import { isGradEnabled } from '../autograd/gradMode';
import { checkViewRebase, rebaseHistoryThroughView } from '../autograd/views';
import { captureListener, setCaptureListener } from '../capture/hooks';
import { sameShape } from '../shape';
import { Tensor } from '../tensor';
import { castRaw } from './promote';
import { copyInto } from './kernels';
import { needsGradFor, OpNode, run1, type OpDef } from './registry';
import { cloneDef } from './copyOps';

/** Whether a value of dtype `from` may be written into a tensor of dtype `to` (PyTorch's canCast). */
function canCast(from: DType, to: DType): boolean {
  if (isFloating(from) && !isFloating(to)) return false;
  if (from !== 'bool' && to === 'bool') return false;
  return true;
}

/**
 * PyTorch refuses in-place ops on leaves that require grad (and their views) while recording, and
 * on views it cannot rebase (NOTE [Views PyTorch will not rebase]) when the op will be recorded.
 */
export function checkInplace(self: Tensor, recording = self._requiresGrad || self._gradFn !== null): void {
  if (!isGradEnabled()) return;
  const base = self._base;
  // A view requires grad when its base does (PyTorch's DifferentiableViewMeta), even one made in no-grad mode.
  if (base !== null && (recording || base._requiresGrad || base._gradFn !== null)) checkViewRebase(self);
  if (self._gradFn === null && self._requiresGrad) {
    throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  if (base !== null && base._gradFn === null && base._requiresGrad) {
    throw new RuntimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

/**
 * Runs `def` as an in-place op on `inputs[0]` (= self): computes the out-of-place result, writes it
 * into self's storage, bumps the version counter and, when recording, makes the op self's new
 * grad_fn (for a view, the base's history is rewritten through CopySlices).
 */
export function inplace<A>(def: OpDef<A>, self: Tensor, inputs: readonly Tensor[], attrs: A): Tensor {
  const record = needsGradFor(def as OpDef<never>, inputs);
  checkInplace(self, record);
  const result = def.forward(inputs, attrs) as Tensor;
  if (!canCast(result.dtype, self.dtype)) {
    throw new RuntimeError(
      `result type ${scalarTypeName(result.dtype)} can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
  }
  if (!sameShape(result.shape, self.shape)) {
    throw new RuntimeError(
      `output with shape [${self.shape.join(', ')}] doesn't match the broadcast shape [${result.shape.join(', ')}]`);
  }
  // NOTE: like PyTorch, a backward that reads self gets a recorded clone taken before the write
  // (so second derivatives flow to self's old history); other inputs are saved as they are, so
  // one that aliases self (`y.mul_(y)`) fails the version check at backward, as in PyTorch.
  let savedInputs = inputs;
  if (record && def.savesInputs?.includes(0)) {
    const copies = inputs.slice();
    copies[0] = originalSelf(self);
    savedInputs = copies;
  }
  const node = record ? new OpNode(def, attrs, savedInputs, [self], inputs) : null;

  copyInto(self, result.dtype === self.dtype ? result : castRaw(result, self.dtype));
  self._box.version++;

  if (node !== null) {
    if (self._base !== null) {
      rebaseHistoryThroughView(self, node);
    } else {
      self._gradFn = node;
      self._outputNr = 0;
    }
    node._saveOutputs([self]);
  }
  const listener = captureListener();
  if (listener !== null) {
    listener.onOp({ op: `${def.name}_`, inputs, outputs: [self], node, attrs: null });
  }
  return self;
}

/** A clone of self recorded in autograd but not shown to the capture (it only backs a saved value). */
function originalSelf(self: Tensor): Tensor {
  const listener = setCaptureListener(null);
  try {
    return run1(cloneDef, [self], {});
  } finally {
    setCaptureListener(listener);
  }
}

/** An in-place write that is not differentiable and never recorded (zero_, fill_ under no_grad, init). */
export function writeRaw(self: Tensor, values: Tensor): Tensor {
  copyInto(self, values.dtype === self.dtype ? values : castRaw(values, self.dtype));
  self._box.version++;
  return self;
}
