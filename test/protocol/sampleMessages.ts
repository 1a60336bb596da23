/** Valid messages of every type, for the validator tests (built by hand, as a sender would). */
import {
  PROTOCOL_VERSION, type FromWorker, type HostToWebview, type HostToWorker, type WebviewToHost,
} from '../../src/protocol/messages';
import { SNAPSHOT_VERSION, type GraphSnapshot, type TensorData } from '../../src/protocol/snapshot';

const v = PROTOCOL_VERSION;

function tensor(values: number[], shape: number[] = [values.length]): TensorData {
  return {
    shape, dtype: 'float32', values, truncated: false, text: `tensor(<${values.length} values>)`,
    stats: { min: Math.min(...values), max: Math.max(...values), mean: 0, std: 0, norm: 0, nanCount: 0, infCount: 0 },
  };
}

export function sampleSnapshot(): GraphSnapshot {
  const loc = { file: '/work/a.ts', line: 3, column: 11, endLine: 3, endColumn: 25 };
  return {
    version: SNAPSHOT_VERSION,
    file: '/work/a.ts',
    nodes: [
      {
        id: 'n0', kind: 'leaf', label: 'w', op: 'randn', varName: 'w', location: loc, tensor: tensor([1, NaN]),
        grad: tensor([Infinity, -Infinity]), requiresGrad: true, isLeaf: true, isRoot: false, saved: [], scope: [],
        backwardOrder: 1, rule: null, attrs: null,
      },
      {
        id: 'n1', kind: 'op', label: 'MulBackward0', op: 'mul', varName: 'y', location: { file: '/work/a.ts', line: 4, column: 3 },
        tensor: tensor([2, 4]), grad: null, requiresGrad: true, isLeaf: false, isRoot: true,
        saved: [{ name: 'input 0', tensor: tensor([1, 2]) }], scope: ['Linear'], backwardOrder: 0,
        rule: 'grad * other', attrs: { 'input 1': 2, reduction: 'mean', dims: [0, 1] },
      },
    ],
    edges: [{ id: 'n0->n1:0', source: 'n0', target: 'n1', inputIndex: 0, grad: tensor([2, 2]) }],
    bindings: [{ name: 'w', location: loc, nodeId: 'n0', count: 1 }],
    roots: ['n1'],
    iterations: {
      count: 2, window: [1],
      series: { n1: { iterations: [0, 1], valueMean: [1, NaN], valueNorm: [2, 3], gradNorm: [NaN, 1] } },
      frames: [{ iteration: 1, values: { n1: tensor([2, 4]) }, grads: { n1: null } }],
    },
    scopeInfo: { Linear: { kind: 'module', gradFn: null }, 'roll#2': { kind: 'composite', gradFn: 'RollBackward0' } },
    truncation: { droppedNodes: 3, droppedIterations: 0, reason: 'maxNodes' },
  };
}

export function sampleFromWorker(): FromWorker[] {
  return [
    { v, type: 'log', runId: 'r1', entry: { level: 'warn', text: 'hello', location: { file: '/a.ts', line: 1, column: 1 }, source: 'script' } },
    { v, type: 'failed', runId: 'r1', error: { kind: 'exception', name: 'RuntimeError', message: 'boom', pyType: 'RuntimeError', location: { file: '/a.ts', line: 2, column: 5 }, stack: 'RuntimeError: boom' } },
    { v, type: 'snapshot', runId: 'r1', snapshot: sampleSnapshot() },
    { v, type: 'finished', runId: 'r1', status: 'ok', timings: { scriptMs: 1.5, scriptCpuMs: 1.2, snapshotMs: 0.5 }, stats: { ops: 3, backwardPasses: 1, nodesCreated: 2 } },
  ];
}

export function sampleHostToWebview(): HostToWebview[] {
  return [
    { v, type: 'runStarted', runId: 'r1', file: '/a.ts' },
    { v, type: 'setGraph', runId: 'r1', snapshot: sampleSnapshot(), run: { file: '/a.ts', status: 'ok', error: null, durationMs: 12 } },
    { v, type: 'setGraph', runId: 'r2', snapshot: null, run: { file: '/a.ts', status: 'error', error: { kind: 'compile', name: 'SyntaxError', message: 'x' }, durationMs: 3 } },
    { v, type: 'revealNode', nodeId: 'n1' },
    { v, type: 'selectNodes', nodeIds: ['n0', 'n1'] },
    { v, type: 'theme', kind: 'high-contrast' },
  ];
}

export function sampleWebviewToHost(): WebviewToHost[] {
  return [
    { v, type: 'ready' },
    { v, type: 'openSource', location: { file: '/a.ts', line: 4, column: 2 }, nodeId: 'n1' },
    { v, type: 'selectNode', nodeId: null },
    { v, type: 'selectNode', nodeId: 'n0', location: null },
    { v, type: 'export', format: 'png', data: 'iVBORw0KGgo=', fileName: 'graph.png' },
    { v, type: 'export', format: 'html' },
    { v, type: 'rerun' },
    { v, type: 'log', level: 'error', message: 'could not draw' },
  ];
}

export function sampleHostToWorker(): HostToWorker {
  return {
    v, type: 'start', runId: 'r1', file: '/a.ts', code: '1;', instrumentMap: '{}', bundleMap: '{}',
    sites: [{ file: '/a.ts', line: 1, column: 1 }], bindings: [{ name: 'w', location: { file: '/a.ts', line: 1, column: 7 } }],
    capture: true,
    limits: { maxValuesPerTensor: 1000, maxNodes: 5000, iterationWindow: 3, maxSeriesPoints: 256, maxSeriesNodes: 1000, maxSnapshotValues: 2_000_000 },
    timeoutMs: 1000, remainingMs: 900, activity: new SharedArrayBuffer(8),
  };
}
