// A TypeScript file that does not use gradscope: no "Run with Gradscope" CodeLens here.
export function add(a: number, b: number): number {
  return a + b;
}
