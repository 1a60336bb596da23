/**
 * A small parser for the DOT language subset Graphviz files use (enough to read our export back):
 * digraph/graph, node, edge and attribute statements, `a = b`, subgraphs, quoted strings with escapes.
 * Throws on anything it cannot parse, so a malformed export fails the test.
 */

export interface DotGraph {
  directed: boolean;
  nodes: Map<string, Record<string, string>>;
  edges: { from: string; to: string; attrs: Record<string, string> }[];
  subgraphs: { id: string | null; attrs: Record<string, string>; nodes: string[] }[];
  defaults: { graph: Record<string, string>; node: Record<string, string>; edge: Record<string, string> };
}

type Token = { kind: 'id'; value: string; quoted: boolean } | { kind: 'punct'; value: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 2;
    } else if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error('unterminated string');
        const d = src[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\') {
          const e = src[i + 1];
          // Graphviz keeps unknown escapes; \" and \\ are the ones that matter for reading back text.
          if (e === '"' || e === '\\') v += e;
          else if (e === 'n') v += '\n';
          else v += `\\${e}`;
          i += 2;
          continue;
        }
        if (d === '\n') throw new Error('raw newline in a quoted string');
        v += d;
        i++;
      }
      out.push({ kind: 'id', value: v, quoted: true });
    } else if (c === '-' && (src[i + 1] === '>' || src[i + 1] === '-')) {
      out.push({ kind: 'punct', value: src.slice(i, i + 2) });
      i += 2;
    } else if ('{}[];,='.includes(c)) {
      out.push({ kind: 'punct', value: c });
      i++;
    } else {
      const m = /^(-?(\.\d+|\d+(\.\d*)?)|[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)/.exec(src.slice(i));
      if (!m) throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
      out.push({ kind: 'id', value: m[0], quoted: false });
      i += m[0].length;
    }
  }
  return out;
}

export function parseDot(src: string): DotGraph {
  const t = tokenize(src);
  let p = 0;
  const peek = (): Token | undefined => t[p];
  const punct = (v: string): boolean => t[p]?.kind === 'punct' && t[p].value === v;
  const expect = (v: string): void => {
    if (!punct(v)) throw new Error(`expected ${v} at token ${p} (${JSON.stringify(t[p])})`);
    p++;
  };
  const id = (): string => {
    const tok = t[p];
    if (tok?.kind !== 'id') throw new Error(`expected an id at token ${p} (${JSON.stringify(tok)})`);
    p++;
    return tok.value;
  };
  const keyword = (w: string): boolean => {
    const tok = t[p];
    return tok?.kind === 'id' && !tok.quoted && tok.value.toLowerCase() === w;
  };

  const g: DotGraph = { directed: true, nodes: new Map(), edges: [], subgraphs: [], defaults: { graph: {}, node: {}, edge: {} } };
  if (keyword('strict')) p++;
  if (keyword('digraph')) g.directed = true;
  else if (keyword('graph')) g.directed = false;
  else throw new Error('expected graph or digraph');
  p++;
  if (peek()?.kind === 'id') id();

  const attrList = (): Record<string, string> => {
    const attrs: Record<string, string> = {};
    while (punct('[')) {
      p++;
      while (!punct(']')) {
        const k = id();
        expect('=');
        attrs[k] = id();
        if (punct(',') || punct(';')) p++;
      }
      expect(']');
    }
    return attrs;
  };

  const touchNode = (name: string, attrs: Record<string, string>, scopes: string[][]): void => {
    g.nodes.set(name, { ...(g.nodes.get(name) ?? {}), ...attrs });
    for (const s of scopes) if (!s.includes(name)) s.push(name);
  };

  const stmtList = (scopes: string[][], ownAttrs: Record<string, string>): void => {
    expect('{');
    while (!punct('}')) {
      if (keyword('subgraph') || punct('{')) {
        let sid: string | null = null;
        if (keyword('subgraph')) {
          p++;
          if (peek()?.kind === 'id') sid = id();
        }
        const sub = { id: sid, attrs: {} as Record<string, string>, nodes: [] as string[] };
        g.subgraphs.push(sub);
        stmtList([...scopes, sub.nodes], sub.attrs);
      } else if (keyword('graph') || keyword('node') || keyword('edge')) {
        const kind = id().toLowerCase() as 'graph' | 'node' | 'edge';
        Object.assign(g.defaults[kind], attrList());
      } else {
        const first = id();
        if (punct('=')) {
          p++;
          ownAttrs[first] = id();
        } else if (punct('->') || punct('--')) {
          const chain = [first];
          while (punct('->') || punct('--')) {
            p++;
            chain.push(id());
          }
          const attrs = attrList();
          for (const n of chain) touchNode(n, {}, scopes);
          for (let k = 0; k + 1 < chain.length; k++) g.edges.push({ from: chain[k], to: chain[k + 1], attrs });
        } else {
          touchNode(first, attrList(), scopes);
        }
      }
      if (punct(';')) p++;
    }
    expect('}');
  };
  stmtList([], g.defaults.graph);
  if (p !== t.length) throw new Error(`trailing tokens after the graph (token ${p})`);
  return g;
}
