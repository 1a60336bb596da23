import type { ForwardTrace } from '../../lib/autograd/node';
import type { OpDef } from '../../lib/ops/registry';
import type { GraphNodeKind, SourceLocation } from '../../protocol/snapshot';
import type { Tensor } from '../../lib/tensor';
import type { ScopePath } from './scopes';
import type { TensorCopy } from './tensorCopy';

/**
 * What the capture keeps about one graph node while the script runs. Records are reused across
 * the iterations of a training loop (same structural key), so fields hold the latest iteration.
 *
 * NOTE [Record handle as trace]
 * The capture gives each grad_fn a `trace` (anomaly mode reads `op` and `location` from it): the
 * record's small handle, so finding a grad_fn's record is a field read, not a WeakMap lookup
 * (WeakMap entries per op cost measurable GC time on tiny ops). A dropped record cuts its handle
 * loose, so the library's surviving grad_fns keep ~40 bytes alive, not the whole record.
 */
export class NodeRecord {
  /** Creation order; also the node id's number (ids follow the tape's topological order). */
  readonly seq: number;
  private idText: string | null = null;
  kind: GraphNodeKind;
  /** PyTorch's grad_fn name for ops; for tensors, replaced by the variable name when shown. */
  label: string;
  /** Forward op (`matmul`), or the factory that made a leaf/constant (`randn`); '' if unknown. */
  op: string;
  varName: string | null = null;
  /** Call-site id of the user's code that created it (-1: unknown). */
  site: number;
  /** The site's location (ForwardTrace). */
  location: SourceLocation | undefined;
  /** A copy of the node's tensor, taken when the op ran (leaves/constants: at first use per iteration). */
  value: TensorCopy | null = null;
  /** Ops: gradient that flowed in; leaves: `.grad` after the pass. */
  grad: TensorCopy | null = null;
  /** Producers of each input (null: not a graph node). */
  inputs: (NodeRecord | null)[] = [];
  /** Gradient that flowed out along input i in the last pass that ran this node. */
  inputGrads: (TensorCopy | null)[] | null = null;
  /** The op's definition (saved tensors and the derivative rule are read from it when shown). */
  def: OpDef<unknown> | null = null;
  attrs: Readonly<Record<string, unknown>> | null = null;
  /**
   * Python numbers the op took (`x.mul(2)`): input index → value, shown with the attributes.
   * One number (the usual case) is kept in two fields to spare an object per op.
   */
  scalarIndex = -1;
  scalarValue = 0;
  moreScalars: Map<number, number> | null = null;
  /** Enclosing scopes (shared by every record made in the same call). */
  scope: ScopePath | null = null;
  /** Leaves and constants: the id of the tensor `value` was copied from (-1: none). */
  valueSource = -1;
  /** The nn.Parameter a leaf stands for (named at snapshot time, when the model is complete; weak: the record must not keep it alive). */
  parameter: WeakRef<Tensor> | null = null;
  /** Global backward execution counter of the last pass that ran this node (-1: never). */
  backwardTick = -1;
  isRoot = false;
  /** Structural key (site, occurrence) the record is indexed under, or null. */
  key: number | null = null;
  /** Iteration (backward-pass epoch) that last wrote `value`. */
  epoch = -1;
  /** Iteration whose backward last wrote `grad`. */
  gradEpoch = -1;
  /** CLOCK bit for eviction: set on use, cleared when the eviction hand passes. */
  referenced = true;
  evicted = false;
  /** What the record's grad_fns carry as their `trace` (see NOTE [Record handle as trace]). */
  readonly handle: RecordHandle;

  constructor(seq: number, kind: GraphNodeKind, label: string, op: string, site: number, location: SourceLocation | undefined) {
    this.seq = seq;
    this.kind = kind;
    this.label = label;
    this.op = op;
    this.site = site;
    this.location = location;
    this.handle = new RecordHandle(this);
  }

  /** The node's id in the snapshot (made on first use: most dropped nodes never need one). */
  get id(): string {
    return (this.idText ??= `n${this.seq}`);
  }

  /** Python numbers by input index. */
  scalars(): Map<number, number> | null {
    if (this.scalarIndex < 0) return null;
    const out = new Map(this.moreScalars ?? []);
    out.set(this.scalarIndex, this.scalarValue);
    return out;
  }
}


/** A grad_fn's `trace`: the forward op and its location, and the record while it is kept. */
export class RecordHandle implements ForwardTrace {
  readonly op: string;
  readonly location: SourceLocation | undefined;
  record: NodeRecord | null;
  constructor(record: NodeRecord) {
    this.record = record;
    this.op = record.op;
    this.location = record.location;
  }
}
