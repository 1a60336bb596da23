import type { Tensor } from '../tensor';
import type { Node } from '../autograd/node';

/**
 * What the library tells an observer (the runner's graph capture) about a run. The library never
 * depends on who listens; with no listener installed each notification is one null check.
 */
export interface OpEvent {
  /** Forward op name as the public API spells it (`matmul`, `add`, `randn`, `binaryCrossEntropyWithLogits`). */
  op: string;
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];
  /** The autograd node created for the outputs, or null when nothing requires grad. */
  node: Node | null;
  /** Scalar attributes worth showing (alpha, dim, reduction ...), JSON-friendly. */
  attrs: Readonly<Record<string, unknown>> | null;
}

export interface BackwardNodeEvent {
  node: Node;
  /** Gradients w.r.t. the node's outputs (what flowed in), after hooks. */
  gradOutputs: readonly (Tensor | null)[];
  /** Gradients the node produced for each next edge (what flows out). */
  gradInputs: readonly (Tensor | null)[];
}

export interface CaptureListener {
  onOp(e: OpEvent): void;
  /**
   * A composite op or module call starts/ends; ops in between belong to it (for collapsing).
   * `gradFn`: PyTorch's single fused backward node for a composite op that PyTorch runs as one
   * op (null when PyTorch records the same several nodes, and for modules).
   */
  onScopeEnter?(name: string, kind: 'composite' | 'module', gradFn: string | null): void;
  onScopeExit?(): void;
  /** An `nn.Parameter` was made: the user's call executing now (`nn.Linear(2, 16)`) created it. */
  onParameterCreated?(param: Tensor): void;
  /** A module registered `member` (a Parameter or a sub-module) under `name` (for PyTorch's dotted names). */
  onMemberRegistered?(owner: object, name: string, member: object): void;
  onBackwardStart?(roots: readonly Tensor[], kind: 'backward' | 'grad'): void;
  onBackwardNode?(e: BackwardNodeEvent): void;
  onBackwardEnd?(): void;
}

let listener: CaptureListener | null = null;

export function setCaptureListener(next: CaptureListener | null): CaptureListener | null {
  const previous = listener;
  listener = next;
  return previous;
}

export function captureListener(): CaptureListener | null {
  return listener;
}

/**
 * Runs `fn` inside a named scope (composite op or nn.Module call) so the graph can collapse it.
 * A composite op that PyTorch runs as one op with its own backward passes that node's name as
 * `gradFn` (`'RollBackward0'`), so the collapsed box can show it.
 */
export function inScope<T>(name: string, kind: 'composite' | 'module', fn: () => T, gradFn: string | null = null): T {
  const l = listener;
  if (l === null || !l.onScopeEnter) return fn();
  l.onScopeEnter(name, kind, gradFn);
  try {
    return fn();
  } finally {
    l.onScopeExit?.();
  }
}

/** See CaptureListener.onParameterCreated. */
export function notifyParameterCreated(param: Tensor): void {
  listener?.onParameterCreated?.(param);
}

/** See CaptureListener.onMemberRegistered. */
export function notifyMemberRegistered(owner: object, name: string, member: object): void {
  listener?.onMemberRegistered?.(owner, name, member);
}
