import { isFloating, scalarTypeName, type DType } from '../dtype';
import { RuntimeError } from '../errors';
import { isGradEnabled } from '../autograd/gradMode';
import { rebaseHistoryThroughView } from '../autograd/views';
import { captureListener } from '../capture/hooks';
import { sameShape } from '../shape';
import { Tensor } from '../tensor';
import { castRaw } from './promote';
import { copyInto } from './kernels';
import { needsGradFor, OpNode, type OpDef } from './registry';

/** Whether a value of dtype `from` may be written into a tensor of dtype `to` (PyTorch's canCast). */
function canCast(from: DType, to: DType): boolean {
  if (isFloating(from) && !isFloating(to)) return false;
  if (from !== 'bool' && to === 'bool') return false;
  return true;
}

/** PyTorch refuses in-place ops on leaves that require grad (and their views) while recording. */
export function checkInplace(self: Tensor): void {
  if (!isGradEnabled()) return;
  if (self._gradFn === null && self._requiresGrad) {
    throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  const base = self._base;
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
  checkInplace(self);
  const result = def.forward(inputs, attrs) as Tensor;
  if (!canCast(result.dtype, self.dtype)) {
    throw new RuntimeError(
      `result type ${scalarTypeName(result.dtype)} can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
  }
  if (!sameShape(result.shape, self.shape)) {
    throw new RuntimeError(
      `output with shape [${self.shape.join(', ')}] doesn't match the broadcast shape [${result.shape.join(', ')}]`);
  }
  const record = needsGradFor(def as OpDef<never>, inputs);
  // Saved inputs must keep their values from before the write: save copies of those that alias self.
  let savedInputs = inputs;
  if (record && def.savesInputs) {
    savedInputs = inputs.map((t, i) =>
      def.savesInputs!.includes(i) && t._box === self._box ? Tensor._fromData(t._toArray(), t.shape, t.dtype) : t);
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

/** An in-place write that is not differentiable and never recorded (zero_, fill_ under no_grad, init). */
export function writeRaw(self: Tensor, values: Tensor): Tensor {
  copyInto(self, values.dtype === self.dtype ? values : castRaw(values, self.dtype));
  self._box.version++;
  return self;
}
