/**
 * Runtime schema of the graph snapshot (snapshot.ts), used wherever a snapshot crosses a boundary:
 * worker → host (the user's script can post anything from inside the worker), host → webview,
 * and JSON files read back. Declared against the interfaces so the compiler keeps them in sync.
 */
import {
  arrayOf, bool, int, literal, nullable, num, numberArray, object, optional, recordOf, str, unknownValue, type Schema,
} from './schema';
import {
  SNAPSHOT_VERSION,
  type Binding, type GraphEdge, type GraphNode, type GraphSnapshot, type IterationData, type ScopeInfo, type SourceLocation,
  type TensorData, type TensorStats,
} from './snapshot';

const MAX_ID = 256;
const MAX_NAME = 4096;
const MAX_PATH = 4096;
/** Generous caps: a snapshot holds at most a few hundred thousand of anything. */
const MAX_ITEMS = 1_000_000;
const MAX_VALUES = 16_000_000;

const position = int(1, 1e9);

export const sourceLocationSchema: Schema<SourceLocation> = object({
  file: str({ maxLength: MAX_PATH, minLength: 1 }),
  line: position,
  column: position,
  endLine: optional(position),
  endColumn: optional(position),
});

const statsSchema: Schema<TensorStats> = object({
  min: num(), max: num(), mean: num(), std: num(), norm: num(), nanCount: int(0), infCount: int(0),
});

export const tensorDataSchema: Schema<TensorData> = object({
  shape: arrayOf(int(0), { maxLength: 64 }),
  dtype: literal('float32', 'float64', 'int64', 'bool'),
  values: numberArray({ maxLength: MAX_VALUES }),
  truncated: bool(),
  text: str(),
  stats: nullable(statsSchema),
});

const nodeSchema: Schema<GraphNode> = object({
  id: str({ maxLength: MAX_ID, minLength: 1 }),
  kind: literal('op', 'leaf', 'constant'),
  label: str({ maxLength: MAX_NAME }),
  op: nullable(str({ maxLength: MAX_NAME })),
  varName: nullable(str({ maxLength: MAX_NAME })),
  location: nullable(sourceLocationSchema),
  tensor: tensorDataSchema,
  grad: nullable(tensorDataSchema),
  requiresGrad: bool(),
  isLeaf: bool(),
  isRoot: bool(),
  saved: arrayOf(object({ name: str({ maxLength: MAX_NAME }), tensor: tensorDataSchema }), { maxLength: 64 }),
  scope: arrayOf(str({ maxLength: MAX_NAME }), { maxLength: 256 }),
  backwardOrder: nullable(int(0)),
  rule: nullable(str({ maxLength: 64 * 1024 })),
  attrs: nullable(recordOf(unknownValue())),
});

const edgeSchema: Schema<GraphEdge> = object({
  id: str({ maxLength: MAX_ID, minLength: 1 }),
  source: str({ maxLength: MAX_ID, minLength: 1 }),
  target: str({ maxLength: MAX_ID, minLength: 1 }),
  inputIndex: int(0, 1e6),
  grad: nullable(tensorDataSchema),
});

const bindingSchema: Schema<Binding> = object({
  name: str({ maxLength: MAX_NAME, minLength: 1 }),
  location: sourceLocationSchema,
  nodeId: str({ maxLength: MAX_ID, minLength: 1 }),
  count: int(1),
});

const seriesSchema = object({
  iterations: numberArray({ maxLength: MAX_ITEMS }),
  valueMean: numberArray({ maxLength: MAX_ITEMS }),
  valueNorm: numberArray({ maxLength: MAX_ITEMS }),
  gradNorm: numberArray({ maxLength: MAX_ITEMS }),
});

const iterationSchema: Schema<IterationData> = object({
  count: int(0),
  window: arrayOf(int(0), { maxLength: MAX_ITEMS }),
  series: recordOf(seriesSchema),
  frames: arrayOf(object({
    iteration: int(0),
    values: recordOf(tensorDataSchema),
    grads: recordOf(nullable(tensorDataSchema)),
  }), { maxLength: 1024 }),
});

const scopeInfoSchema: Schema<ScopeInfo> = object({
  kind: literal('composite', 'module'),
  gradFn: nullable(str({ maxLength: MAX_ID, minLength: 1 })),
});

export const graphSnapshotSchema: Schema<GraphSnapshot> = object({
  version: literal(SNAPSHOT_VERSION),
  file: str({ maxLength: MAX_PATH, minLength: 1 }),
  nodes: arrayOf(nodeSchema, { maxLength: MAX_ITEMS }),
  edges: arrayOf(edgeSchema, { maxLength: MAX_ITEMS }),
  bindings: arrayOf(bindingSchema, { maxLength: MAX_ITEMS }),
  roots: arrayOf(str({ maxLength: MAX_ID }), { maxLength: MAX_ITEMS }),
  iterations: nullable(iterationSchema),
  scopeInfo: optional(recordOf(scopeInfoSchema)),
  truncation: nullable(object({ droppedNodes: int(0), droppedIterations: int(0), reason: str({ maxLength: MAX_NAME }) })),
});
