'use strict';
// Stand-in for @eduardoleao052/gpu, which js-pytorch lists as a dependency but only `require`s when a
// tensor is on device "gpu". The real package pulls in `gl` (headless WebGL), whose native build
// fails on machines without X11/GL headers. The benchmarks run js-pytorch on the CPU only, so this
// stub lets npm install js-pytorch cleanly (package.json `overrides` points the dependency here)
// and fails loudly if anything ever asks for the GPU path.
class GPU {
  constructor() {
    throw new Error('@eduardoleao052/gpu is stubbed for the benchmarks: js-pytorch runs on the CPU only here');
  }
}
module.exports = { GPU };
