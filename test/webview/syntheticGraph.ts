/**
 * Generated snapshots for size tests and the layout benchmark: the shapes of real autograd graphs.
 *  - `mlp`: an MLP forward (Linear = MmBackward0 + AddBackward0 with weight and bias leaves, ReLU),
 *    a loss, plus a residual connection every few layers (fan-out / fan-in);
 *  - `chain`: one long chain of element-wise ops on one tensor (a deep, narrow graph);
 *  - `wide`: many parallel branches summed into one loss (a shallow, wide graph).
 * Tensors carry tiny values (the page's cost is in nodes and edges, not in values).
 */
import type { GraphEdge, GraphNode, GraphSnapshot, TensorData } from '../../src/protocol/snapshot';

export type GraphShape = 'mlp' | 'chain' | 'wide';

function tensor(shape: number[], v: number): TensorData {
  return { shape, dtype: 'float32', values: [v], truncated: true, text: `tensor(${v.toFixed(4)})`, stats: { min: v, max: v, mean: v, std: 0, norm: Math.abs(v), nanCount: 0, infCount: 0 } };
}

class Builder {
  nodes: GraphNode[] = [];
  edges: GraphEdge[] = [];
  private order = 0;

  add(kind: GraphNode['kind'], label: string, op: string | null, varName: string | null, inputs: string[], scope: string[], shape = [8, 8]): string {
    const id = `n${this.nodes.length}`;
    const grad = kind === 'constant' ? null : tensor(shape, 1 / (1 + this.nodes.length));
    this.nodes.push({
      id,
      kind,
      label,
      op,
      varName,
      location: { file: '/bench/model.ts', line: 1 + (this.nodes.length % 200), column: 3 },
      tensor: tensor(shape, Math.sin(this.nodes.length)),
      grad,
      requiresGrad: kind !== 'constant',
      isLeaf: kind !== 'op',
      isRoot: false,
      saved: [],
      scope,
      backwardOrder: null,
      rule: kind === 'op' ? 'grad_self = grad' : null,
      attrs: null,
    });
    inputs.forEach((src, i) => this.edges.push({ id: `e${this.edges.length}`, source: src, target: id, inputIndex: i, grad: tensor(shape, 1e-3 * (1 + (this.edges.length % 7))) }));
    return id;
  }

  finish(root: string): GraphSnapshot {
    const rootNode = this.nodes.find((n) => n.id === root);
    if (rootNode) rootNode.isRoot = true;
    // Backward visits ops from the loss back to the inputs.
    for (let i = this.nodes.length - 1; i >= 0; i--) if (this.nodes[i].kind !== 'constant') this.nodes[i].backwardOrder = this.order++;
    return { version: 1, file: '/bench/model.ts', nodes: this.nodes, edges: this.edges, bindings: [], roots: [root], iterations: null, truncation: null };
  }
}

/** A graph with about `n` nodes. `scopes`: wrap each Linear in a module scope. */
export function syntheticSnapshot(shape: GraphShape, n: number, scopes = false): GraphSnapshot {
  const b = new Builder();
  if (shape === 'chain') {
    let cur = b.add('leaf', 'x', 'randn', 'x', [], []);
    const ops = ['MulBackward0', 'AddBackward0', 'TanhBackward0', 'ExpBackward0'];
    for (let i = 1; b.nodes.length < n - 1; i++) {
      if (i % 5 === 0) {
        const c = b.add('constant', 'c', 'full', `c${i}`, [], []);
        cur = b.add('op', 'MulBackward0', 'mul', null, [cur, c], []);
      } else cur = b.add('op', ops[i % ops.length], 'op', null, [cur], []);
    }
    return b.finish(b.add('op', 'SumBackward0', 'sum', 'loss', [cur], [], []));
  }
  if (shape === 'wide') {
    const x = b.add('constant', 'x', 'randn', 'x', [], []);
    const branches: string[] = [];
    while (b.nodes.length < n - 2) {
      const w = b.add('leaf', 'w', 'randn', `w${branches.length}`, [], []);
      const m = b.add('op', 'MulBackward0', 'mul', null, [x, w], []);
      branches.push(b.add('op', 'TanhBackward0', 'tanh', null, [m], []));
    }
    let acc = branches[0];
    for (let i = 1; i < branches.length; i++) acc = b.add('op', 'AddBackward0', 'add', null, [acc, branches[i]], []);
    return b.finish(b.add('op', 'MeanBackward0', 'mean', 'loss', [acc], [], []));
  }
  // mlp: each layer adds 6 nodes (weight, bias, mm, add, relu, [residual add every 3rd layer]).
  let h = b.add('constant', 'x', 'randn', 'x', [], []);
  let skip = h;
  for (let layer = 0; b.nodes.length < n - 4; layer++) {
    const scope = scopes ? [`fc${layer}`] : [];
    const w = b.add('leaf', 'weight', 'randn', `fc${layer}.weight`, [], scope, [8, 8]);
    const bias = b.add('leaf', 'bias', 'zeros', `fc${layer}.bias`, [], scope, [8]);
    const mm = b.add('op', 'MmBackward0', 'mm', null, [h, w], scope);
    const add = b.add('op', 'AddBackward0', 'add', null, [mm, bias], scope);
    h = b.add('op', 'ReluBackward0', 'relu', `h${layer}`, [add], []);
    if (layer % 3 === 2) {
      h = b.add('op', 'AddBackward0', 'add', null, [h, skip], []);
      skip = h;
    }
  }
  const y = b.add('constant', 'y', 'randn', 'y', [], []);
  const diff = b.add('op', 'SubBackward0', 'sub', null, [h, y], []);
  const sq = b.add('op', 'PowBackward0', 'pow', null, [diff], []);
  return b.finish(b.add('op', 'MeanBackward0', 'mean', 'loss', [sq], [], []));
}

/**
 * An `nn.Sequential` of `blocks` × (Linear, ReLU) and a cross-entropy loss, scoped as the capture
 * scopes it: ops inside the module calls they ran in (Sequential › Linear[k] › linear, ...), the
 * parameters and the data at top level (they were created before the calls), and one op outside every
 * scope between the model and the loss. Nothing is collapsed by default (no scopeInfo).
 */
export function nestedModuleSnapshot(blocks: number): GraphSnapshot {
  const b = new Builder();
  const x = b.add('constant', 'X', 'randn', 'X', [], [], [200, 2]);
  let h = x;
  for (let k = 0; k < blocks; k++) {
    const w = b.add('leaf', 'tensor', 'randn', `model.${2 * k}.weight`, [], [], [16, 16]);
    const bias = b.add('leaf', 'tensor', 'zeros', `model.${2 * k}.bias`, [], [], [16]);
    const linear = ['Sequential', `Linear[${2 * k}]`, 'linear'];
    const t = b.add('op', 'TBackward0', 't', null, [w], linear, [16, 16]);
    h = b.add('op', 'AddmmBackward0', 'addmm', null, [bias, h, t], linear, [200, 16]);
    h = b.add('op', 'ReluBackward0', 'relu', null, [h], ['Sequential', `ReLU[${2 * k + 1}]`], [200, 16]);
  }
  const logits = b.add('op', 'MulBackward0', 'mul', 'logits', [h], [], [200, 16]);
  const y = b.add('constant', 'Y', 'randint', 'Y', [], [], [200]);
  const ls = b.add('op', 'LogSoftmaxBackward0', 'log_softmax', null, [logits], ['crossEntropy'], [200, 16]);
  return b.finish(b.add('op', 'NllLossBackward0', 'nll_loss', 'loss', [ls, y], ['crossEntropy'], []));
}
