import { RuntimeError } from '../errors';
import { numelOf } from '../shape';
import type { Tensor } from '../tensor';
import { inScope } from '../capture/hooks';
import { bmm } from './linalg';
import { diagonal } from './rearrange';

/**
 * `torch.einsum(equation, ...operands)`, composed like ATen's: repeated subscripts of one operand
 * become a diagonal, subscripts no later operand or the output needs are summed out early, and
 * operands are contracted left to right as one batched matrix product each (batch = shared
 * kept subscripts, contracted = shared dropped ones). Supports `...` (broadcast, aligned right)
 * and the implicit output (`'ij,jk'`: subscripts used once, alphabetical).
 */

/** A tensor whose dims are named by subscripts (ellipsis dims get private names). */
interface Labelled { t: Tensor; labels: string[] }

const ELLIPSIS_LABEL = (k: number) => `…${k}`;

function parseOperand(term: string, t: Tensor, index: number): Labelled {
  const parts = term.split('...');
  if (parts.length > 2) throw new RuntimeError('einsum(): found more than one ellipsis ("...") in the equation');
  for (const p of parts) {
    if (!/^[a-zA-Z]*$/.test(p)) {
      throw new RuntimeError(`einsum(): invalid subscript given at index ${term.search(/[^a-zA-Z.]/)} in the equation string, subscripts must be in [a-zA-Z]`);
    }
  }
  const explicit = parts.join('').length;
  const ndim = t.shape.length;
  if (parts.length === 1 ? explicit !== ndim : explicit > ndim) {
    throw new RuntimeError(
      `einsum(): the number of subscripts in the equation (${explicit}) ` +
      (parts.length === 1 ? 'does not match' : 'is more than') +
      ` the number of dimensions (${ndim}) for operand ${index}${parts.length === 1 ? ' and no ellipsis was given' : ''}`);
  }
  const e = ndim - explicit;
  const ellipsis = Array.from({ length: parts.length === 2 ? e : 0 }, (_, i) => ELLIPSIS_LABEL(e - 1 - i));
  return { t, labels: [...parts[0], ...ellipsis, ...(parts[1] ?? '')] };
}

/** Repeated subscripts within one operand (`'ii->i'`): their diagonal. */
function takeDiagonals(op: Labelled): Labelled {
  let { t, labels } = op;
  for (;;) {
    const dup = labels.findIndex((l, i) => labels.indexOf(l) !== i);
    if (dup < 0) return { t, labels };
    const first = labels.indexOf(labels[dup]);
    if (t.shape[first] !== t.shape[dup]) {
      throw new RuntimeError(
        `einsum(): subscript ${labels[dup]} is repeated for operand but the sizes don't match, ${t.shape[dup]} != ${t.shape[first]}`);
    }
    const label = labels[dup];
    t = diagonal(t, 0, first, dup);
    labels = [...labels.filter((_, i) => i !== first && i !== dup), label];
  }
}

function sumOut(op: Labelled, drop: (label: string) => boolean): Labelled {
  const dims = op.labels.map((l, i) => (drop(l) ? i : -1)).filter((i) => i >= 0);
  if (dims.length === 0) return op;
  return { t: op.t.sum(dims), labels: op.labels.filter((l) => !drop(l)) };
}

function sizeOf(op: Labelled, label: string): number {
  const i = op.labels.indexOf(label);
  return i < 0 ? 1 : op.t.shape[i];
}

/** Permutes `op` to `order` and expands it to `sizes` (broadcasting size-1 dims). */
function arrange(op: Labelled, order: string[], sizes: number[]): Tensor {
  const perm = order.map((l) => op.labels.indexOf(l));
  return op.t.permute(perm).expand(sizes);
}

function contractPair(a: Labelled, b: Labelled, keep: Set<string>): Labelled {
  a = sumOut(a, (l) => !keep.has(l) && !b.labels.includes(l));
  b = sumOut(b, (l) => !keep.has(l) && !a.labels.includes(l));
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => keep.has(l));
  const contracted = shared.filter((l) => !keep.has(l));
  const left = a.labels.filter((l) => !shared.includes(l));
  const right = b.labels.filter((l) => !shared.includes(l));
  const size = (l: string) => {
    const sa = sizeOf(a, l), sb = sizeOf(b, l);
    if (sa !== sb && sa !== 1 && sb !== 1) {
      throw new RuntimeError(`einsum(): operands do not broadcast with remapped shapes (original): subscript ${l} has sizes ${sa} and ${sb}`);
    }
    return Math.max(sa, sb);
  };
  const bs = batch.map(size), cs = contracted.map(size);
  const ls = left.map((l) => sizeOf(a, l)), rs = right.map((l) => sizeOf(b, l));
  const a3 = arrange(a, [...batch, ...left, ...contracted], [...bs, ...ls, ...cs])
    .reshape(numelOf(bs), numelOf(ls), numelOf(cs));
  const b3 = arrange(b, [...batch, ...contracted, ...right], [...bs, ...cs, ...rs])
    .reshape(numelOf(bs), numelOf(cs), numelOf(rs));
  return { t: bmm(a3, b3).reshape([...bs, ...ls, ...rs]), labels: [...batch, ...left, ...right] };
}

/** `torch.einsum('ij,jk->ik', a, b)`; operands may also be passed as one array. */
export function einsum(equation: string, ...args: (Tensor | readonly Tensor[])[]): Tensor {
  const operands = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly Tensor[]) : (args as Tensor[]);
  const eq = equation.replace(/\s/g, '');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, null];
  const terms = lhs.split(',');
  if (terms.length !== operands.length) {
    const which = terms.length < operands.length ? 'more' : 'fewer';
    throw new RuntimeError(`einsum(): ${which} operands were provided than specified in the equation`);
  }
  return inScope('einsum', 'composite', () => {
    const ops = operands.map((t, i) => takeDiagonals(parseOperand(terms[i], t, i)));
    const maxEllipsis = Math.max(0, ...ops.map((o) => o.labels.filter((l) => l.startsWith('…')).length));
    const ellipsisOut = Array.from({ length: maxEllipsis }, (_, i) => ELLIPSIS_LABEL(maxEllipsis - 1 - i));
    let output: string[];
    if (rhs === null) {
      const counts = new Map<string, number>();
      for (const term of terms) for (const c of term.replace('...', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
      output = [...ellipsisOut, ...[...counts].filter(([, n]) => n === 1).map(([c]) => c).sort()];
    } else {
      const parts = rhs.split('...');
      if (!/^[a-zA-Z]*$/.test(parts.join(''))) throw new RuntimeError('einsum(): invalid subscript in the output');
      output = [...parts[0], ...(parts.length === 2 ? ellipsisOut : []), ...(parts[1] ?? '')];
      for (const l of output) {
        if (!ops.some((o) => o.labels.includes(l))) {
          throw new RuntimeError(`einsum(): output subscript ${l} does not appear in the equation for any input operand`);
        }
      }
    }
    let acc = ops[0];
    for (let i = 1; i < ops.length; i++) {
      const keep = new Set<string>(output);
      for (const later of ops.slice(i + 1)) for (const l of later.labels) keep.add(l);
      acc = contractPair(acc, ops[i], keep);
    }
    const result = sumOut(acc, (l) => !output.includes(l));
    return result.t.permute(output.map((l) => result.labels.indexOf(l)));
  });
}
