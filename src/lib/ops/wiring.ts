import { _setEngineOps } from '../autograd/engine';
import { _setViewOps } from '../autograd/views';
import { Tensor } from '../tensor';
import { castRaw } from './promote';
import { addInto, copyInto } from './kernels';
import { detach } from './copyOps';
import { arange, onesLike } from './creation';
import { numelOf } from '../shape';
import { sumToSize } from './reduction';

/** Gives the autograd engine and the view machinery the tensor ops they use (breaks import cycles). */
_setEngineOps({
  onesLike: (t) => onesLike(t),
  add: (a, b) => a.add(b),
  addInPlace: (a, b) => {
    if (b.dtype === a.dtype && (a._data !== b._data || a.offset === b.offset)) addInto(a, b);
    else copyInto(a, a.detach().add(b.detach()));
    a._box.version++;
  },
  sumTo: (g, shape) => sumToSize(g, shape),
  cast: (t, like) => t.to(like.dtype),
  cloneDetached: (t) => Tensor._fromData(t._toArray(), t.shape, t.dtype),
  detach: (t) => detach(t),
  hasNaN: (t) => {
    const n = t.numel();
    for (let i = 0; i < n; i++) if (Number.isNaN(t._get(i))) return true;
    return false;
  },
});

_setViewOps({
  zeros: (shape, dtype) => Tensor._empty(shape, dtype),
  clone: (t) => Tensor._fromData(t._toArray(), t.shape, t.dtype),
  copyInPlace: (dst, src) => copyInto(dst, src.dtype === dst.dtype ? src : castRaw(src, dst.dtype)),
  positions: (shape) => arange(numelOf(shape), { dtype: 'int64' }).reshape(shape),
});
