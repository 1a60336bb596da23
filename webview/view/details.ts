/**
 * The details pane: everything known about the selected node (or box, or edge), built as DOM with
 * every snapshot string inserted as text.
 */
import type { GraphNode, SourceLocation, TensorData } from '../../src/protocol/snapshot';
import { tensorNorm } from '../model/gradFlow';
import type { GraphModel } from '../model/graphModel';
import { scopeChain, scopeNodes, type ScopeInstance } from '../model/scopes';
import { h } from '../util/dom';
import { baseName, num, plural, shapeText } from '../util/format';
import type { Palette } from './palette';
import { sparkline } from './sparkline';
import { tensorBlock } from './tensorView';

export interface DetailsActions {
  selectNode(node: number): void;
  openSource(node: number | null, location: SourceLocation): void;
  setScopeCollapsed(key: string, collapsed: boolean): void;
}

/** One iteration's data of a training loop (null: the snapshot's own, i.e. the last, values). */
export interface FrameView {
  iteration: number;
  values: Record<string, TensorData>;
  grads: Record<string, TensorData | null>;
}

export interface DetailsContext {
  model: GraphModel;
  palette: Palette;
  frame: FrameView | null;
  /** The iteration shown (training loops), also when it is the snapshot's own (last) one. */
  iteration: number | null;
  actions: DetailsActions;
  /** Set when the backward replay is on this node. */
  replay: { step: number; total: number } | null;
}

const KIND_TEXT: Record<GraphNode['kind'], string> = {
  op: 'backward node',
  leaf: 'leaf (requires grad)',
  constant: 'constant (no grad)',
};

function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

export function valueOf(ctx: DetailsContext, node: GraphNode): TensorData {
  return (ctx.frame && own(ctx.frame.values, node.id)) ?? node.tensor;
}

export function gradOf(ctx: DetailsContext, node: GraphNode): TensorData | null {
  if (ctx.frame) {
    const g = own(ctx.frame.grads, node.id);
    if (g !== undefined) return g;
  }
  return node.grad;
}

function locationText(loc: SourceLocation): string {
  return `${baseName(loc.file)}:${loc.line}:${loc.column}`;
}

export function locationButton(loc: SourceLocation, onClick: () => void): HTMLElement {
  return h('button', { class: 'gs-link gs-location', type: 'button', title: `Open ${loc.file}:${loc.line}:${loc.column}`, on: { click: onClick } }, locationText(loc));
}

function nodeButton(ctx: DetailsContext, i: number, extra: string): HTMLElement {
  const node = ctx.model.nodes[i];
  const name = node.kind === 'op' ? node.label : (node.varName ?? node.label);
  return h(
    'li',
    null,
    h('button', { class: 'gs-link', type: 'button', attrs: { 'data-node-id': node.id }, on: { click: () => ctx.actions.selectNode(i) } }, name),
    h('span', { class: 'gs-meta' }, ` ${shapeText(node.tensor.shape)}${extra}`),
  );
}

function gradNormText(t: TensorData | null): string {
  const n = tensorNorm(t);
  return Number.isNaN(n) ? '' : ` · ‖grad‖ ${num(n)}`;
}

function connections(ctx: DetailsContext, i: number): HTMLElement | null {
  const { model } = ctx;
  const ins = model.inEdges[i];
  const outs = model.outEdges[i];
  if (!ins.length && !outs.length) return null;
  return h(
    'section',
    { class: 'gs-connections', attrs: { 'aria-label': 'Connections' } },
    ins.length ? h('h3', null, 'Inputs') : null,
    ins.length ? h('ul', { class: 'gs-list' }, ...ins.map((e) => nodeButton(ctx, model.edgeSource[e], ` · input ${model.edges[e].inputIndex}${gradNormText(model.edges[e].grad)}`))) : null,
    outs.length ? h('h3', null, 'Used by') : null,
    outs.length ? h('ul', { class: 'gs-list' }, ...outs.map((e) => nodeButton(ctx, model.edgeTarget[e], gradNormText(model.edges[e].grad)))) : null,
  );
}

function scopeBreadcrumb(ctx: DetailsContext, i: number): HTMLElement | null {
  const chain = scopeChain(ctx.model.scopes.nodeScope[i]);
  if (!chain.length) return null;
  return h(
    'nav',
    { class: 'gs-scopes', attrs: { 'aria-label': 'Scopes' } },
    'in ',
    ...chain.flatMap((s, k) => [
      k ? ' › ' : '',
      h('button', { class: 'gs-link', type: 'button', title: `Collapse ${s.label} into one box`, on: { click: () => ctx.actions.setScopeCollapsed(s.key, true) } }, s.label),
    ]),
  );
}

/** The backward replay's view of a node: what arrives, the local rule, what leaves. */
export function replaySection(ctx: DetailsContext, i: number): HTMLElement {
  const { model, replay } = ctx;
  const node = model.nodes[i];
  const outs = model.outEdges[i];
  const ins = model.inEdges[i];
  const grad = gradOf(ctx, node);
  const name = model.displayName(i);
  const arriving =
    outs.length > 1
      ? h(
          'div',
          { class: 'gs-accumulate' },
          h('p', null, `${name} is used ${outs.length} times, so its gradient is the sum of ${outs.length} contributions:`),
          h(
            'ul',
            { class: 'gs-list' },
            ...outs.map((e) => h('li', null, `from ${model.displayName(model.edgeTarget[e])}`, h('span', { class: 'gs-meta' }, model.edges[e].grad ? ` ‖·‖ ${num(tensorNorm(model.edges[e].grad))}` : ' (not captured)'))),
          ),
          h('p', null, grad ? `sum: ‖grad‖ ${num(tensorNorm(grad))}` : 'sum: not captured'),
        )
      : h('p', null, grad ? `Gradient arriving: ‖grad‖ ${num(tensorNorm(grad))}` : node.isRoot ? 'Backward starts here (gradient 1).' : 'No gradient captured.');
  return h(
    'section',
    { class: 'gs-replay-step', attrs: { 'aria-label': 'Backward step' } },
    h('h3', null, replay ? `Backward step ${replay.step + 1} of ${replay.total}` : 'Backward step'),
    arriving,
    node.rule ? h('div', null, h('h4', null, 'Local rule'), h('pre', { class: 'gs-rule' }, node.rule)) : null,
    ins.length
      ? h(
          'div',
          null,
          h('h4', null, 'Sends to its inputs'),
          h('ul', { class: 'gs-list' }, ...ins.map((e) => h('li', null, `${model.displayName(model.edgeSource[e])} (input ${model.edges[e].inputIndex})`, h('span', { class: 'gs-meta' }, model.edges[e].grad ? ` ‖grad‖ ${num(tensorNorm(model.edges[e].grad))}` : '')))),
        )
      : node.kind === 'leaf'
        ? h('p', null, `Accumulated into ${name}.grad.`)
        : null,
  );
}

function seriesSection(ctx: DetailsContext, node: GraphNode): HTMLElement | null {
  const it = ctx.model.snapshot.iterations;
  const s = it ? own(it.series, node.id) : undefined;
  if (!s) return null;
  const current = ctx.iteration;
  const rows: [string, number[]][] = [
    ['mean', s.valueMean],
    ['‖value‖', s.valueNorm],
    ['‖grad‖', s.gradNorm],
  ];
  return h(
    'section',
    { class: 'gs-series', attrs: { 'aria-label': 'Over iterations' } },
    h('h3', null, 'Over iterations'),
    ...rows.map(([label, ys]) => {
      const chart = sparkline(label, s.iterations, ys, current);
      return chart ? h('div', { class: 'gs-spark-row' }, h('span', { class: 'gs-spark-label' }, label), chart) : null;
    }),
  );
}

function attrsSection(node: GraphNode): HTMLElement | null {
  if (!node.attrs || Object.keys(node.attrs).length === 0) return null;
  return h(
    'section',
    { attrs: { 'aria-label': 'Attributes' } },
    h('h3', null, 'Attributes'),
    h('dl', { class: 'gs-attrs' }, ...Object.entries(node.attrs).flatMap(([k, v]) => [h('dt', null, k), h('dd', null, typeof v === 'string' ? v : JSON.stringify(v))])),
  );
}

function savedSection(ctx: DetailsContext, node: GraphNode): HTMLElement | null {
  if (!node.saved.length) return null;
  return h(
    'section',
    { attrs: { 'aria-label': 'Saved tensors' } },
    h('h3', null, 'Saved for backward'),
    ...node.saved.map((s) => h('details', { class: 'gs-saved' }, h('summary', null, `${s.name} ${shapeText(s.tensor.shape)}`), tensorBlock(s.name, s.tensor, ctx.palette, 'value'))),
  );
}

export function nodeDetails(ctx: DetailsContext, i: number): HTMLElement {
  const { model } = ctx;
  const node = model.nodes[i];
  const value = valueOf(ctx, node);
  const grad = gradOf(ctx, node);
  const title = node.kind === 'op' ? node.label : (node.varName ?? node.label);
  const gradTitle = node.kind === 'op' ? 'Gradient (w.r.t. this output)' : 'Gradient (.grad)';
  return h(
    'article',
    { class: 'gs-details-node', attrs: { 'data-node-id': node.id } },
    h('h2', { class: 'gs-details-title' }, title),
    h(
      'p',
      { class: 'gs-details-sub' },
      h('span', { class: `gs-badge gs-badge-${node.isRoot ? 'root' : node.kind}` }, node.isRoot ? 'output (backward root)' : KIND_TEXT[node.kind]),
      node.kind === 'op' && node.varName ? ` ${node.varName}` : '',
      node.op ? h('span', { class: 'gs-meta' }, ` · ${node.op}()`) : null,
      ctx.iteration !== null ? h('span', { class: 'gs-meta' }, ` · iteration ${ctx.iteration}`) : null,
    ),
    node.location ? h('p', null, 'at ', locationButton(node.location, () => ctx.actions.openSource(i, node.location as SourceLocation))) : null,
    scopeBreadcrumb(ctx, i),
    ctx.replay ? replaySection(ctx, i) : null,
    tensorBlock('Value', value, ctx.palette, 'value'),
    grad ? tensorBlock(gradTitle, grad, ctx.palette, 'grad') : h('p', { class: 'gs-note' }, node.requiresGrad ? 'No gradient captured (backward did not reach it).' : 'Does not require grad.'),
    seriesSection(ctx, node),
    connections(ctx, i),
    savedSection(ctx, node),
    attrsSection(node),
    node.rule && !ctx.replay ? h('section', { attrs: { 'aria-label': 'Derivative' } }, h('h3', null, 'Derivative'), h('pre', { class: 'gs-rule' }, node.rule)) : null,
  );
}

export function scopeDetails(ctx: DetailsContext, scope: ScopeInstance): HTMLElement {
  const { model } = ctx;
  const info = model.scopeInfo(scope.name);
  const nodes = scopeNodes(scope);
  return h(
    'article',
    { class: 'gs-details-scope', attrs: { 'data-scope-key': scope.key } },
    h('h2', { class: 'gs-details-title' }, info?.gradFn ?? scope.label),
    h('p', { class: 'gs-details-sub' }, h('span', { class: 'gs-badge gs-badge-scope' }, info ? `${info.kind} scope` : 'scope'), ` ${scope.label} · ${plural(scope.size, 'node')}`),
    h('button', { class: 'gs-button', type: 'button', on: { click: () => ctx.actions.setScopeCollapsed(scope.key, false) } }, 'Expand'),
    h('h3', null, 'Inside'),
    h('ul', { class: 'gs-list' }, ...nodes.slice(0, 200).map((i) => nodeButton(ctx, i, ''))),
    nodes.length > 200 ? h('p', { class: 'gs-note' }, `and ${nodes.length - 200} more`) : null,
  );
}

export function edgeDetails(ctx: DetailsContext, e: number): HTMLElement {
  const { model } = ctx;
  const edge = model.edges[e];
  const s = model.edgeSource[e];
  const t = model.edgeTarget[e];
  return h(
    'article',
    { class: 'gs-details-edge' },
    h('h2', { class: 'gs-details-title' }, `${model.displayName(s)} → ${model.displayName(t)}`),
    h('p', { class: 'gs-details-sub' }, `input ${edge.inputIndex} of ${model.nodes[t].label}`),
    h('ul', { class: 'gs-list' }, nodeButton(ctx, s, ' (producer)'), nodeButton(ctx, t, ' (consumer)')),
    edge.grad ? tensorBlock('Gradient along this edge', edge.grad, ctx.palette, 'grad') : h('p', { class: 'gs-note' }, 'No gradient captured on this edge.'),
  );
}

export function emptyDetails(hasGraph: boolean): HTMLElement {
  return h(
    'div',
    { class: 'gs-details-empty' },
    h('p', null, hasGraph ? 'Select a node (click it, or use the outline or the arrow keys) to see its values, gradient and derivative.' : 'Waiting for a run…'),
  );
}
