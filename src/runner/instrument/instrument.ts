/**
 * Instruments esbuild's bundle so the worker knows, for free at run time, which line of the user's
 * code is executing and which variable each value is bound to.
 *
 * NOTE [Call-site register]
 * Capturing a stack per op (`Error.captureStackTrace`, even with a small `stackTraceLimit` and
 * `prepareStackTrace` returning CallSites) measured 4–10 µs per capture on this machine, more than
 * a tiny op itself (~2 µs): far over the 1.5× budget. Instead every call in the user's code sets a
 * register to its (static) site id right before the call happens, after its arguments have been
 * evaluated:
 *
 *   x.mul(2).add(b)   →   x.mul(__gs$at(0, (2))).add(__gs$at(1, (b)))
 *   loss.backward()   →   __gs$at(2, (loss)).backward()
 *
 * The op reads the register (one typed-array load), so each op's location is the innermost user
 * call that led to it — library internals and composite ops report the user's call, which is the
 * line the user wrote. Site ids index a table of locations computed here, once, through the source
 * map, so the worker never maps a position on the hot path.
 *
 * NOTE [Binding instrumentation]
 * Declarations and assignments are wrapped in `__gs$bind(value, bindingId)`, which returns the
 * value unchanged and, for tensors, records the variable name and the binding's location/count:
 *
 *   const w = torch.randn(...)   →   const w = __gs$bind((torch.randn(...)), 0)
 *   for (const t of ts) body     →   for (const t of ts) { __gs$bind(t, 1); body }
 *
 * Loop bodies also get `__gs$tick(siteId)`, so a timed-out infinite loop can be located.
 * Only code that maps to the user's files is touched (not esbuild's helpers, not node_modules).
 */
import { parse, type AnyNode, type CallExpression, type Expression, type MemberExpression, type NewExpression,
  type Pattern, type SpreadElement, type Super } from 'acorn';
import MagicString from 'magic-string';
import type { BindingSite } from '../../protocol/messages';
import type { SourceLocation } from '../../protocol/snapshot';
import { HELPERS } from '../scriptAbi';
import { BundleSourceMap, type OriginalPosition } from '../sourcePositions';
import { callEnd, identifierAt } from './originalText';


/** Tensor getters that run an op (`x.T`): a member read, not a call, so they need their own site. */
const OP_GETTERS = new Set(['T', 'mT', 'H', 'mH', 'data']);

export interface InstrumentResult {
  code: string;
  /** Source map of `code` → the bundle (JSON). */
  map: string;
  /** Site id → location of the call (or getter, or loop). */
  sites: SourceLocation[];
  /** Binding id → variable name and location of the identifier. */
  bindings: BindingSite[];
}

type WithParent = AnyNode & { parent?: WithParent };

/** Line starts of the bundle, to turn acorn's offsets into (line, column). */
function lineStarts(code: string): number[] {
  const starts = [0];
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function instrumentBundle(code: string, bundleMapJson: string, bundleDir: string): InstrumentResult {
  const map = new BundleSourceMap(bundleMapJson, bundleDir);
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true,
    allowReturnOutsideFunction: true, allowAwaitOutsideFunction: false });
  const starts = lineStarts(code);
  const s = new MagicString(code);
  const sites: SourceLocation[] = [];
  const bindings: BindingSite[] = [];

  const positionOf = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] };
  };

  /** Original position of a bundle offset, only when it is in the user's own files. */
  const userPosition = (offset: number): OriginalPosition | null => {
    const p = positionOf(offset);
    const o = map.original(p.line, p.column);
    return o !== null && map.isUserFile(o.source) ? o : null;
  };

  const read = (source: number) => (line: number) => map.lineText(source, line);

  /**
   * Whether the original text at `o` is the name the bundle has at that node. esbuild maps some
   * generated code (its module wrappers, `__toESM(require(...))` for imports) to the start of
   * the file or to the import statement; checking the name keeps those out.
   */
  const namesMatch = (o: OriginalPosition, bundleName: string): boolean => {
    const original = identifierAt(read(o.source), o.line, o.column);
    if (original === null) return false;
    // esbuild renames colliding top-level names by appending digits (`w` → `w2`).
    return original === bundleName || (bundleName.startsWith(original) && /^\d+$/.test(bundleName.slice(original.length)));
  };

  /** The user position of `node` when the original text there is the node's own name (or any text, for unnamed nodes). */
  const verifiedPosition = (node: AnyNode): OriginalPosition | null => {
    const o = userPosition(node.start);
    if (o === null) return null;
    if (node.type === 'Identifier') return namesMatch(o, node.name) ? o : null;
    if (node.type === 'PrivateIdentifier') return o;
    const text = map.lineText(o.source, o.line)?.slice(o.column) ?? '';
    // Unnamed callees (`(() => ...)()`, `fns[0]()`) must at least not land in a comment.
    return text.startsWith('//') || text.startsWith('/*') ? null : o;
  };

  const location = (o: OriginalPosition, end: { line: number; column: number } | null): SourceLocation => ({
    file: o.file, line: o.line, column: o.column + 1,
    ...(end ? { endLine: end.line, endColumn: end.column + 1 } : {}),
  });

  /** End of a call in the original text: the mapped `)` when it maps exactly, else bracket matching. */
  const originalCallEnd = (node: CallExpression | NewExpression, anchor: OriginalPosition): { line: number; column: number } | null => {
    if (code.charCodeAt(node.end - 1) === 41 /* ) */) {
      const close = userPosition(node.end - 1);
      if (close && close.source === anchor.source && map.lineText(close.source, close.line)?.charAt(close.column) === ')'
        && (close.line > anchor.line || (close.line === anchor.line && close.column > anchor.column))) {
        return { line: close.line, column: close.column + 1 };
      }
    }
    const matched = callEnd(read(anchor.source), anchor.line, anchor.column);
    if (matched) return matched;
    const name = identifierAt(read(anchor.source), anchor.line, anchor.column);
    return name ? { line: anchor.line, column: anchor.column + name.length } : null;
  };

  const addSite = (loc: SourceLocation): number => {
    sites.push(loc);
    return sites.length - 1;
  };

  /** Wraps `node` as `prefix(node)suffix`; outer wraps are emitted before inner ones (pre-order). */
  const wrap = (node: { start: number; end: number }, prefix: string, suffix: string): void => {
    s.appendRight(node.start, prefix);
    s.prependLeft(node.end, suffix);
  };

  const atCall = (id: number) => `${HELPERS.at}(${id}, (`;

  /** The node whose position names the call: the property of a member callee, else the callee. */
  const anchorOf = (callee: Expression | Super): AnyNode => {
    let c: AnyNode = callee;
    // `(0, import_x.fn)(...)` is how esbuild calls imported functions.
    if (c.type === 'SequenceExpression') c = c.expressions[c.expressions.length - 1];
    if (c.type === 'MemberExpression' && !c.computed) return c.property;
    return c;
  };

  const hasOptionalLink = (e: AnyNode): boolean => {
    let cur: AnyNode | undefined = e;
    while (cur) {
      if ((cur.type === 'MemberExpression' || cur.type === 'CallExpression') && cur.optional) return true;
      if (cur.type === 'MemberExpression') cur = cur.object;
      else if (cur.type === 'CallExpression') cur = cur.callee;
      else return false;
    }
    return false;
  };

  const instrumentCall = (node: CallExpression | NewExpression): void => {
    const anchorNode = anchorOf(node.callee);
    const anchor = verifiedPosition(anchorNode);
    if (anchor === null) return;
    const args = node.arguments as (Expression | SpreadElement)[];
    if (args.length > 0) {
      const last = args[args.length - 1];
      const target = last.type === 'SpreadElement' ? last.argument : last;
      const id = addSite(location(anchor, originalCallEnd(node, anchor)));
      wrap(target, atCall(id), '))');
      return;
    }
    const callee = node.callee;
    if (callee.type === 'Super') return;
    if (node.type === 'NewExpression') {
      const id = addSite(location(anchor, originalCallEnd(node, anchor)));
      // `new (__gs$at(id, (Foo)))()`: parenthesised so `new` applies to the result, not to __gs$at.
      wrap(callee, `(${atCall(id)}`, ')))');
      if (code.charCodeAt(node.end - 1) !== 41) s.appendLeft(node.end, '()');
      return;
    }
    if (callee.type === 'MemberExpression') {
      if (callee.object.type === 'Super') return;
      // Wrapping the object of `a?.b.c()` would break the optional chain's short-circuit.
      if (hasOptionalLink(callee.object)) return;
      const id = addSite(location(anchor, originalCallEnd(node, anchor)));
      // The object is evaluated first and the computed key after it: set the register last.
      wrap(callee.computed ? callee.property : callee.object, atCall(id), '))');
      return;
    }
    const id = addSite(location(anchor, originalCallEnd(node, anchor)));
    wrap(callee, atCall(id), '))');
  };

  const instrumentGetter = (node: MemberExpression): void => {
    if (node.computed || node.property.type !== 'Identifier' || !OP_GETTERS.has(node.property.name)) return;
    if (node.object.type === 'Super' || hasOptionalLink(node.object)) return;
    const anchor = verifiedPosition(node.property);
    if (anchor === null) return;
    const id = addSite(location(anchor, { line: anchor.line, column: anchor.column + node.property.name.length }));
    wrap(node.object, atCall(id), '))');
  };

  /**
   * A binding id for the identifier at `anchor` (a variable, or the property of a member target);
   * null when not user code. `display` turns the original identifier into the reported name.
   */
  const bindingFor = (anchor: AnyNode & { name?: string }, display: (name: string) => string = (n) => n): number | null => {
    const o = verifiedPosition(anchor);
    if (o === null) return null;
    // esbuild may rename (`w` → `w2`); the original text has the user's name.
    const original = identifierAt(read(o.source), o.line, o.column) ?? anchor.name ?? codeOf(anchor);
    bindings.push({ name: display(original), location: location(o, { line: o.line, column: o.column + original.length }) });
    return bindings.length - 1;
  };

  const bindCall = `${HELPERS.bind}((`;

  const identifiersOf = (p: Pattern | null | undefined, out: { name: string; node: AnyNode }[]): void => {
    if (!p) return;
    switch (p.type) {
      case 'Identifier': out.push({ name: p.name, node: p }); break;
      case 'ArrayPattern': for (const e of p.elements) identifiersOf(e, out); break;
      case 'ObjectPattern':
        for (const prop of p.properties) identifiersOf(prop.type === 'RestElement' ? prop : prop.value, out);
        break;
      case 'RestElement': identifiersOf(p.argument, out); break;
      case 'AssignmentPattern': identifiersOf(p.left, out); break;
      default: break;
    }
  };

  /** `__gs$bind(a, 3); __gs$bind(b, 4); ` for the identifiers of a pattern. */
  const bindStatements = (pattern: Pattern): string => {
    const ids: { name: string; node: AnyNode }[] = [];
    identifiersOf(pattern, ids);
    let out = '';
    for (const { node } of ids) {
      const b = bindingFor(node);
      if (b !== null) out += `${HELPERS.bind}(${codeOf(node)}, ${b}); `;
    }
    return out;
  };

  const codeOf = (n: { start: number; end: number }) => code.slice(n.start, n.end);

  /** Statements to run first in a loop body: a tick for the watchdog, then bindings. */
  const prependToBody = (body: AnyNode, text: string): void => {
    if (text === '') return;
    if (body.type === 'BlockStatement') {
      s.appendRight(body.start + 1, text);
    } else {
      wrap(body, `{ ${text}`, ' }');
    }
  };

  const loopTick = (node: AnyNode, body: AnyNode, extra = ''): void => {
    let o = userPosition(node.start);
    if (o !== null && !/^(for|while|do)\b/.test(map.lineText(o.source, o.line)?.slice(o.column) ?? '')) o = null;
    let text = extra;
    if (o !== null) {
      const id = addSite(location(o, null));
      text = `${HELPERS.tick}(${id}); ${extra}`;
    }
    prependToBody(body, text);
  };

  const visit = (node: WithParent): void => {
    switch (node.type) {
      case 'CallExpression':
      case 'NewExpression':
        instrumentCall(node);
        break;
      case 'MemberExpression': {
        const parent = node.parent;
        const isCallee = parent && (parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === node;
        const isTarget = parent && ((parent.type === 'AssignmentExpression' && parent.left === node)
          || (parent.type === 'UpdateExpression') || (parent.type === 'UnaryExpression' && parent.operator === 'delete'));
        if (!isCallee && !isTarget) instrumentGetter(node);
        break;
      }
      case 'VariableDeclarator': {
        const parent = node.parent;
        const inForInOf = parent?.parent && (parent.parent.type === 'ForOfStatement' || parent.parent.type === 'ForInStatement')
          && parent.parent.left === parent;
        if (inForInOf) break; // bound at the start of the body instead
        if (node.init && node.id.type === 'Identifier') {
          const b = bindingFor(node.id);
          if (b !== null) wrap(node.init, bindCall, `), ${b})`);
        } else if (node.init && parent?.type === 'VariableDeclaration' && parent.parent
          && (parent.parent.type === 'Program' || parent.parent.type === 'BlockStatement' || parent.parent.type === 'StaticBlock')) {
          // Destructuring: bind each name after the whole declaration statement.
          const text = bindStatements(node.id);
          if (text) s.prependLeft(parent.end, ` ${text}`);
        }
        break;
      }
      case 'AssignmentExpression': {
        if (node.operator !== '=' && node.operator !== '||=' && node.operator !== '&&=' && node.operator !== '??=') break;
        const left = node.left;
        if (left.type === 'Identifier') {
          const b = bindingFor(left);
          if (b !== null) wrap(node.right, bindCall, `), ${b})`);
        } else if (left.type === 'MemberExpression' && !left.computed && left.property.type === 'Identifier') {
          // `this.w = ...`, `model.w = ...`: reported under the member path as written.
          const objectText = codeOf(left.object);
          if (/^[\w$.]+$/.test(objectText) && objectText.length <= 80) {
            const b = bindingFor(left.property, (n) => `${objectText}.${n}`);
            if (b !== null) wrap(node.right, bindCall, `), ${b})`);
          }
        } else if ((left.type === 'ArrayPattern' || left.type === 'ObjectPattern') && node.parent?.type === 'ExpressionStatement') {
          const text = bindStatements(left);
          if (text) s.prependLeft(node.parent.end, ` ${text}`);
        }
        break;
      }
      case 'PropertyDefinition': {
        if (node.value && !node.computed && node.key.type === 'Identifier') {
          const b = bindingFor(node.key, (n) => `this.${n}`);
          if (b !== null) wrap(node.value, bindCall, `), ${b})`);
        }
        break;
      }
      case 'ForOfStatement':
      case 'ForInStatement': {
        let extra = '';
        if (node.left.type === 'VariableDeclaration') {
          extra = bindStatements(node.left.declarations[0].id);
        }
        loopTick(node, node.body, extra);
        break;
      }
      case 'ForStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        loopTick(node, node.body);
        break;
      default:
        break;
    }
  };

  // Iterative pre-order walk (a generated bundle can nest deeply), remembering parents.
  const stack: WithParent[] = [ast as WithParent];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const children: WithParent[] = [];
    for (const key of Object.keys(node)) {
      if (key === 'parent') continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) children.push(item);
      } else if (isNode(value)) {
        children.push(value);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) {
      children[i].parent = node;
      stack.push(children[i]);
    }
  }

  return {
    code: s.toString(),
    map: s.generateMap({ hires: true, source: 'bundle.js', includeContent: false }).toString(),
    sites,
    bindings,
  };
}

function isNode(v: unknown): v is WithParent {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'
    && typeof (v as { start?: unknown }).start === 'number';
}
