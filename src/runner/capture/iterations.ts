/**
 * Per-iteration data of training loops: a sparkline series per node over the whole run
 * (downsampled by halving when long) and full tensor copies for a window of the last iterations.
 */
import type { CaptureLimits } from '../../protocol/messages';
import type { IterationData, TensorData } from '../../protocol/snapshot';
import type { NodeRecord } from './nodeRecord';
import { meanAndNormOf, type CopyBudget, type TensorCopy } from './tensorCopy';

interface Series {
  /** Only iterations divisible by the stride are recorded; it doubles at each halving. */
  stride: number;
  iterations: number[];
  valueMean: number[];
  valueNorm: number[];
  gradNorm: number[];
}

/** One iteration's nodes and the copies they held at its end (frames keep a window of these). */
interface Frame {
  iteration: number;
  records: NodeRecord[];
  values: (TensorCopy | null)[];
  grads: (TensorCopy | null)[];
}

export class IterationTracker {
  /** Completed iterations (outermost backward passes). */
  count = 0;
  private readonly series = new Map<NodeRecord, Series>();
  private frames: Frame[] = [];
  /**
   * The last iteration, not yet added to the series. NOTE: kept raw so a script that calls
   * backward() once (most scripts: no iteration data at all) pays for three arrays, not for a
   * series and a frame per node.
   */
  private pending: Frame | null = null;

  constructor(private readonly limits: CaptureLimits, private readonly budget: CopyBudget) {}

  /** Records iteration `iteration` for the nodes it touched. */
  endIteration(iteration: number, touched: readonly NodeRecord[]): void {
    this.count = iteration + 1;
    if (this.pending) this.commit(this.pending);
    const n = touched.length;
    const frame: Frame = { iteration, records: [...touched], values: new Array(n), grads: new Array(n) };
    for (let i = 0; i < n; i++) {
      const r = touched[i];
      frame.values[i] = r.value;
      frame.grads[i] = r.gradEpoch === iteration ? r.grad : null;
      this.budget.hold(frame.values[i]);
      this.budget.hold(frame.grads[i]);
    }
    this.pending = frame;
    this.frames.push(frame);
    while (this.frames.length > Math.max(1, this.limits.iterationWindow)) this.dropFrame(this.frames.shift()!);
  }

  private commit(f: Frame): void {
    for (let i = 0; i < f.records.length; i++) {
      const r = f.records[i];
      if (!r.evicted) this.addPoint(r, f.iteration, f.values[i], f.grads[i]);
    }
  }

  private dropFrame(f: Frame): void {
    for (const c of f.values) this.budget.release(c);
    for (const c of f.grads) this.budget.release(c);
  }

  private addPoint(r: NodeRecord, iteration: number, value: TensorCopy | null, grad: TensorCopy | null): void {
    let s = this.series.get(r);
    if (s === undefined) {
      if (this.series.size >= this.limits.maxSeriesNodes) return;
      s = { stride: 1, iterations: [], valueMean: [], valueNorm: [], gradNorm: [] };
      this.series.set(r, s);
    }
    if (iteration % s.stride !== 0) return;
    const stats = value ? meanAndNormOf(value) : null;
    const gradStats = grad ? meanAndNormOf(grad) : null;
    s.iterations.push(iteration);
    s.valueMean.push(stats ? stats.mean : NaN);
    s.valueNorm.push(stats ? stats.norm : NaN);
    s.gradNorm.push(gradStats ? gradStats.norm : NaN);
    if (s.iterations.length > this.limits.maxSeriesPoints) halve(s);
  }

  /** A node dropped from the graph takes its series along. */
  forget(r: NodeRecord): void {
    this.series.delete(r);
  }

  /** Iterations whose full frames are no longer kept. */
  get droppedFrames(): number {
    return Math.max(0, this.count - Math.min(this.frames.length, this.limits.iterationWindow));
  }

  toData(keep: (r: NodeRecord) => boolean, convert: (c: TensorCopy) => TensorData): IterationData {
    if (this.pending) {
      this.commit(this.pending);
      this.pending = null;
    }
    const series: IterationData['series'] = {};
    for (const [r, s] of this.series) {
      if (!keep(r)) continue;
      series[r.id] = { iterations: s.iterations.slice(), valueMean: s.valueMean.slice(), valueNorm: s.valueNorm.slice(), gradNorm: s.gradNorm.slice() };
    }
    // Newest first, so a tight snapshot budget spends its values on the latest iterations.
    const kept = this.limits.iterationWindow === 0 ? [] : this.frames.slice(-this.limits.iterationWindow);
    const frames: IterationData['frames'] = [];
    for (let k = kept.length - 1; k >= 0; k--) {
      const f = kept[k];
      const values: Record<string, TensorData> = {};
      const grads: Record<string, TensorData | null> = {};
      f.records.forEach((r, i) => {
        if (!keep(r)) return;
        const v = f.values[i];
        const g = f.grads[i];
        if (v) values[r.id] = convert(v);
        grads[r.id] = g ? convert(g) : null;
      });
      frames.unshift({ iteration: f.iteration, values, grads });
    }
    return { count: this.count, window: frames.map((f) => f.iteration), series, frames };
  }
}

function halve(s: Series): void {
  const stride = s.stride * 2;
  const keep = (_: number, i: number): boolean => s.iterations[i] % stride === 0;
  s.valueMean = s.valueMean.filter(keep);
  s.valueNorm = s.valueNorm.filter(keep);
  s.gradNorm = s.gradNorm.filter(keep);
  s.iterations = s.iterations.filter((it) => it % stride === 0);
  s.stride = stride;
}
