/**
 * Documentation of the public functions that are not a single primitive op of the op table:
 * composites (built from primitives, so the graph shows PyTorch's nodes), factories, random
 * sampling and autograd controls. With the op table it generates docs/api-reference.md; a test
 * fails when an exported function is documented in neither.
 */
export interface PublicFunctionDoc {
  /** Path under `torch` as TypeScript spells it: `matmul`, `nn.functional.crossEntropy`. */
  readonly name: string;
  /** PyTorch's name. */
  readonly torch: string;
  readonly example: string;
  /** What it records in the graph (composites), or what it does. */
  readonly note: string;
  readonly category: 'creation' | 'random' | 'composite' | 'autograd' | 'utility';
}

export const publicFunctionDocs: readonly PublicFunctionDoc[] = [
  // creation
  { name: 'tensor', torch: 'torch.tensor', example: 'torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 })', note: 'copies nested arrays into a new leaf; integral numbers infer int64 like Python ints', category: 'creation' },
  { name: 'scalarTensor', torch: 'torch.scalar_tensor', example: 'torch.scalarTensor(2.5)', note: 'a 0-dim tensor', category: 'creation' },
  { name: 'zeros', torch: 'torch.zeros', example: 'torch.zeros(5, 3)', note: 'zero-filled leaf', category: 'creation' },
  { name: 'ones', torch: 'torch.ones', example: 'torch.ones([2, 3], { requiresGrad: true })', note: 'one-filled leaf', category: 'creation' },
  { name: 'empty', torch: 'torch.empty', example: 'torch.empty(3).uniform_(-1, 1)', note: 'uninitialised in PyTorch; zero-filled here', category: 'creation' },
  { name: 'full', torch: 'torch.full', example: 'torch.full([2, 2], 0.5)', note: 'an integral fill value gives int64, as in Python', category: 'creation' },
  { name: 'zerosLike', torch: 'torch.zeros_like', example: 'torch.zerosLike(x)', note: 'same shape and dtype', category: 'creation' },
  { name: 'onesLike', torch: 'torch.ones_like', example: 'torch.onesLike(out)', note: 'same shape and dtype', category: 'creation' },
  { name: 'fullLike', torch: 'torch.full_like', example: 'torch.fullLike(x, 7)', note: 'same shape and dtype', category: 'creation' },
  { name: 'emptyLike', torch: 'torch.empty_like', example: 'torch.emptyLike(x)', note: 'same shape and dtype', category: 'creation' },
  { name: 'eye', torch: 'torch.eye', example: 'torch.eye(4, 5, { requiresGrad: true })', note: 'identity matrix', category: 'creation' },
  { name: 'arange', torch: 'torch.arange', example: 'torch.arange(0, 1, 0.25)', note: 'int64 when all arguments are integral', category: 'creation' },
  { name: 'linspace', torch: 'torch.linspace', example: 'torch.linspace(-Math.PI, Math.PI, 2000)', note: 'ATen\'s two-sided stepping: both ends exact', category: 'creation' },
  { name: 'detach', torch: 'torch.detach', example: 'torch.detach(z)', note: 'a leaf sharing storage, outside autograd', category: 'creation' },
  // random
  { name: 'manualSeed', torch: 'torch.manual_seed', example: 'torch.manualSeed(0)', note: 'seeds the default generator (mt19937); same numbers as PyTorch', category: 'random' },
  { name: 'initialSeed', torch: 'torch.initial_seed', example: 'torch.initialSeed()', note: 'the last seed, as a bigint', category: 'random' },
  { name: 'randn', torch: 'torch.randn', example: 'torch.randn(5, 3, { requiresGrad: true })', note: 'standard normal, bit-exact with PyTorch', category: 'random' },
  { name: 'rand', torch: 'torch.rand', example: 'torch.rand(2, 2)', note: 'uniform on [0, 1)', category: 'random' },
  { name: 'randint', torch: 'torch.randint', example: 'torch.randint(0, 10, [5])', note: 'int64 in [low, high)', category: 'random' },
  { name: 'randperm', torch: 'torch.randperm', example: 'torch.randperm(10)', note: 'a random permutation (int64)', category: 'random' },
  { name: 'normal', torch: 'torch.normal', example: 'torch.normal(0, 0.1, [3, 3])', note: 'normal with mean and std', category: 'random' },
  { name: 'bernoulli', torch: 'torch.bernoulli', example: 'torch.bernoulli(torch.full([4], 0.5))', note: '1 with probability p per element', category: 'random' },
  // composites: built from primitives, recorded as PyTorch records them
  { name: 'matmul', torch: 'torch.matmul', example: 'torch.matmul(x, w)', note: 'dot / mv / mm / bmm with views, exactly as ATen\'s _matmul_impl (vector @ matrix records SqueezeBackward4 → MmBackward0)', category: 'composite' },
  { name: 'outer', torch: 'torch.outer', example: 'torch.outer(a, b)', note: 'a.unsqueeze(1) * b', category: 'composite' },
  { name: 'einsum', torch: 'torch.einsum', example: "torch.einsum('ij,jk->ik', a, b)", note: 'permutes, reshapes and bmm (node names are ours, not PyTorch\'s)', category: 'composite' },
  { name: 'trace', torch: 'torch.trace', example: 'torch.trace(a)', note: 'diagonal then sum', category: 'composite' },
  { name: 'diag', torch: 'torch.diag', example: 'torch.diag(v)', note: 'diagEmbed or diagonal', category: 'composite' },
  { name: 'triu', torch: 'torch.triu', example: 'torch.triu(a)', note: 'upper triangle (TriuBackward0)', category: 'composite' },
  { name: 'reshape', torch: 'torch.reshape', example: 'torch.reshape(a, [2, -1])', note: 'a view when strides allow, else clone then view', category: 'composite' },
  { name: 'flatten', torch: 'torch.flatten', example: 'torch.flatten(x, 1)', note: 'reshape', category: 'composite' },
  { name: 'unflatten', torch: 'torch.unflatten', example: 'torch.unflatten(x, 1, [2, 3])', note: 'view', category: 'composite' },
  { name: 'swapaxes', torch: 'torch.swapaxes', example: 'torch.swapaxes(a, 0, 1)', note: 'transpose', category: 'composite' },
  { name: 'movedim', torch: 'torch.movedim', example: 'torch.movedim(a, 0, -1)', note: 'permute', category: 'composite' },
  { name: 'narrow', torch: 'torch.narrow', example: 'torch.narrow(a, 1, 0, 2)', note: 'slice', category: 'composite' },
  { name: 'chunk', torch: 'torch.chunk', example: 'torch.chunk(a, 3, 1)', note: 'split (SplitBackward0)', category: 'composite' },
  { name: 'hstack', torch: 'torch.hstack', example: 'torch.hstack([a, b])', note: 'cat', category: 'composite' },
  { name: 'vstack', torch: 'torch.vstack', example: 'torch.vstack([a, b])', note: 'cat of at-least-2-D views', category: 'composite' },
  { name: 'atleast2d', torch: 'torch.atleast_2d', example: 'torch.atleast2d(v)', note: 'unsqueeze when needed', category: 'composite' },
  { name: 'nonzero', torch: 'torch.nonzero', example: 'torch.nonzero(mask)', note: 'indices of non-zero elements (int64)', category: 'composite' },
  { name: 'square', torch: 'torch.square', example: 'torch.square(a)', note: 'pow(a, 2) (PowBackward0)', category: 'composite' },
  { name: 'sgn', torch: 'torch.sgn', example: 'torch.sgn(a)', note: 'sign', category: 'composite' },
  { name: 'fix', torch: 'torch.fix', example: 'torch.fix(a)', note: 'trunc', category: 'composite' },
  { name: 'trueDivide', torch: 'torch.true_divide', example: 'torch.trueDivide(a, b)', note: 'div', category: 'composite' },
  { name: 'floorDivide', torch: 'torch.floor_divide', example: 'torch.floorDivide(a, 2)', note: "div with roundingMode 'floor'", category: 'composite' },
  { name: 'clampMin', torch: 'torch.clamp_min', example: 'torch.clampMin(a, 0)', note: 'clamp with a lower bound', category: 'composite' },
  { name: 'clampMax', torch: 'torch.clamp_max', example: 'torch.clampMax(a, 1)', note: 'clamp with an upper bound', category: 'composite' },
  { name: 'allclose', torch: 'torch.allclose', example: 'torch.allclose(a, b)', note: 'isclose then all, as a boolean', category: 'composite' },
  { name: 'equal', torch: 'torch.equal', example: 'torch.equal(a, b)', note: 'same shape and values, as a boolean', category: 'composite' },
  { name: 'nn.functional.linear', torch: 'torch.nn.functional.linear', example: 'F.linear(x, w, b)', note: 'addmm with w.t() for 2-D input (AddmmBackward0 ← TBackward0), views around it otherwise', category: 'composite' },
  { name: 'nn.functional.crossEntropy', torch: 'torch.nn.functional.cross_entropy', example: 'F.crossEntropy(logits, target, { labelSmoothing: 0.1 })', note: 'logSoftmax then nllLoss (NllLossBackward0 ← LogSoftmaxBackward0)', category: 'composite' },
  { name: 'nn.functional.l1Loss', torch: 'torch.nn.functional.l1_loss', example: 'F.l1Loss(pred, target)', note: 'sub, abs, then mean or sum', category: 'composite' },
  { name: 'nn.functional.dropout', torch: 'torch.nn.functional.dropout', example: 'F.dropout(x, { p: 0.5, training: true })', note: 'multiplies by a bernoulli mask scaled by 1/(1-p) (MulBackward0); returns x itself when not training', category: 'composite' },
  { name: 'nn.functional.relu6', torch: 'torch.nn.functional.relu6', example: 'F.relu6(x)', note: 'hardtanh(x, 0, 6)', category: 'composite' },
  // autograd and grad mode
  { name: 'autograd.backward', torch: 'torch.autograd.backward', example: 'torch.autograd.backward([y], [v])', note: 'accumulates vᵀJ into the leaves\' .grad', category: 'autograd' },
  { name: 'autograd.grad', torch: 'torch.autograd.grad', example: 'torch.autograd.grad(s, [x], { createGraph: true })', note: 'returns gradients instead of accumulating them', category: 'autograd' },
  { name: 'autograd.detectAnomaly', torch: 'torch.autograd.detect_anomaly', example: 'torch.autograd.detectAnomaly(() => loss.backward())', note: 'names the forward op when backward produces NaN', category: 'autograd' },
  { name: 'autograd.setDetectAnomaly', torch: 'torch.autograd.set_detect_anomaly', example: 'torch.autograd.setDetectAnomaly(true)', note: 'turns anomaly detection on or off', category: 'autograd' },
  { name: 'noGrad', torch: 'torch.no_grad', example: 'torch.noGrad(() => w.sub_(w.grad!.mul(lr)))', note: 'runs the function without recording', category: 'autograd' },
  { name: 'enableGrad', torch: 'torch.enable_grad', example: 'torch.enableGrad(() => x.mul(2))', note: 'records even inside noGrad', category: 'autograd' },
  { name: 'setGradEnabled', torch: 'torch.set_grad_enabled', example: 'torch.setGradEnabled(false, () => model(x))', note: 'scoped with a function, global without', category: 'autograd' },
  { name: 'isGradEnabled', torch: 'torch.is_grad_enabled', example: 'torch.isGradEnabled()', note: 'the current grad mode', category: 'autograd' },
  // utilities
  { name: 'setPrintOptions', torch: 'torch.set_printoptions', example: 'torch.setPrintOptions({ precision: 2 })', note: 'precision, threshold, edgeitems, linewidth, sciMode', category: 'utility' },
  { name: 'getPrintOptions', torch: 'torch._tensor_str.PRINT_OPTS', example: 'torch.getPrintOptions()', note: 'the current print options', category: 'utility' },
  { name: 'getDefaultDtype', torch: 'torch.get_default_dtype', example: 'torch.getDefaultDtype()', note: "'float32'", category: 'utility' },
  { name: 'setDefaultDtype', torch: 'torch.set_default_dtype', example: 'torch.setDefaultDtype(torch.float64)', note: 'the dtype of new float tensors (float32 or float64)', category: 'utility' },
  { name: 'catchWarnings', torch: 'warnings.catch_warnings(record=True)', example: 'torch.catchWarnings(() => y.grad)', note: 'runs a function and returns the warnings it raised', category: 'utility' },
];
