/**
 * The graph snapshot: everything the panel, the hover, the inline values and the exports know
 * about a run, as plain data (structured-clone and JSON friendly). The worker builds it; nothing
 * downstream knows about tensors' internals. Versioned: bump SNAPSHOT_VERSION on any breaking change.
 *
 * Conventions: ids are strings; lines and columns are 1-based (as in stack traces and esbuild
 * messages; the extension converts to VS Code's 0-based positions at its edge). In memory, numbers
 * may be NaN/±Infinity; the JSON export encodes those as the strings "NaN", "Infinity", "-Infinity".
 */
export const SNAPSHOT_VERSION = 1 as const;

export type DTypeName = 'float32' | 'float64' | 'int64' | 'bool';

export interface SourceLocation {
  /** Absolute path of the user's file. */
  file: string;
  line: number;
  column: number;
  /**
   * End of the expression when known (for selecting the exact range): 1-based and exclusive (the
   * column just after the last character), so VS Code's Range is (line-1, column-1, endLine-1,
   * endColumn-1). Op nodes span the call from the method name (`matmul(x, w)`, `add(b)` in
   * `x.mul(2).add(b)`); bindings span the identifier.
   */
  endLine?: number;
  endColumn?: number;
}

/**
 * Statistics of the whole tensor (also when `values` is truncated), over its finite elements;
 * NaN and ±Infinity are only counted. `std` is the sample standard deviation (PyTorch's default,
 * correction=1), 0 for a single element; all NaN when no element is finite.
 */
export interface TensorStats {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** L2 norm. */
  norm: number;
  nanCount: number;
  infCount: number;
}

/** A tensor's value as captured: a bounded number of values plus PyTorch's printed form. */
export interface TensorData {
  shape: number[];
  dtype: DTypeName;
  /** Row-major values (bool as 0/1); at most the capture's per-tensor limit. */
  values: number[];
  /** True when `values` holds fewer than numel values. */
  truncated: boolean;
  /** `str(t)` as PyTorch prints it (without requires_grad/grad_fn suffixes). */
  text: string;
  /** Null for empty tensors and non-numeric dtypes. */
  stats: TensorStats | null;
}

export type GraphNodeKind =
  /** A grad_fn: one recorded op; stands for the op and its (first) output tensor. */
  | 'op'
  /** A leaf that requires grad (parameter / input with requiresGrad): torchviz's blue box. */
  | 'leaf'
  /** A tensor that does not require grad used as an op input (data, targets). */
  | 'constant';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** Op nodes: PyTorch's backward-node name (`AddBackward0`); tensors: the variable name or `tensor`. */
  label: string;
  /** Forward op as the script called it (`matmul`, `add`, `randn`). */
  op: string | null;
  /** Variable the script bound this tensor to, when known. */
  varName: string | null;
  /** Where the tensor was created (the op call, or the factory call for leaves). */
  location: SourceLocation | null;
  /** The tensor itself (op nodes: the op's output). */
  tensor: TensorData;
  /** Leaves: `.grad` after the last backward. Ops: the gradient w.r.t. the output that flowed in. */
  grad: TensorData | null;
  requiresGrad: boolean;
  isLeaf: boolean;
  /** A tensor `backward()` was called on (the loss). */
  isRoot: boolean;
  /** Tensors the op saved for backward (torchviz `show_saved`). */
  saved: { name: string; tensor: TensorData }[];
  /** Enclosing composite-op / module scopes, outermost first (for collapsing into boxes). */
  scope: string[];
  /**
   * Position in the order autograd executed the backward pass (null: not executed). Ranks over the
   * whole run: each node keeps its position in the last pass that ran it, and later passes rank
   * after earlier ones, so sorting by it replays the passes in order.
   */
  backwardOrder: number | null;
  /** The local derivative rule in words or as a formula (for the backward replay). */
  rule: string | null;
  /** Op attributes worth showing (alpha, dim, reduction ...). */
  attrs: Record<string, unknown> | null;
}

/** Forward data flow: `source` (an input's producer) → `target` (the op consuming it). */
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Which input of the target op. */
  inputIndex: number;
  /** The gradient that flowed back along this edge in the last backward pass, if captured. */
  grad: TensorData | null;
}

/** A variable binding in the script, for hover and inline values. */
export interface Binding {
  name: string;
  /** The declaration/assignment location (the identifier). */
  location: SourceLocation;
  /** The node of the tensor last bound there. */
  nodeId: string;
  /** How many times this binding executed (loops). */
  count: number;
}

/**
 * Training loops: a script that calls backward() repeatedly builds the same structure each time.
 * The graph holds one copy of it (the last iteration's); nodes of every iteration map onto it by
 * (op, source location, occurrence within the iteration). Per-iteration data lives here.
 */
export interface IterationData {
  /** backward() calls seen in the whole run. */
  count: number;
  /** Iteration numbers (0-based) whose full values are kept in `frames`: a bounded window. */
  window: number[];
  /** Per node, one summary per iteration of the whole run (bounded: downsampled when long). */
  series: Record<string, { iterations: number[]; valueMean: number[]; valueNorm: number[]; gradNorm: number[] }>;
  /** Full tensor data for the kept iterations (node id → data). */
  frames: { iteration: number; values: Record<string, TensorData>; grads: Record<string, TensorData | null> }[];
}

/** What a scope name (an element of GraphNode.scope) stands for. */
export interface ScopeInfo {
  kind: 'composite' | 'module';
  /**
   * PyTorch's single backward node for this composite op when PyTorch runs it as one op
   * (`RollBackward0`); null when PyTorch records the same several nodes, and for modules.
   */
  gradFn: string | null;
}

export interface GraphSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** Absolute path of the script that ran. */
  file: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  bindings: Binding[];
  /** Node ids of the tensors `backward()` was called on, most recent last. */
  roots: string[];
  /** Per-iteration data of training loops (null: backward ran at most once). */
  iterations: IterationData | null;
  /**
   * Optional (added compatibly in version 1; older snapshots lack it): each scope name used by the
   * nodes, by name. Names are unique per call within an iteration (`Linear[0]`, `Linear[0]#2`).
   */
  scopeInfo?: Record<string, ScopeInfo>;
  /** What the capture dropped to stay within its limits (null: nothing dropped). */
  truncation: { droppedNodes: number; droppedIterations: number; reason: string } | null;
}
