/**
 * DOM building that cannot inject markup: every string becomes a text node or a property, never HTML.
 * NOTE: the page runs under a strict CSP (no inline styles or handlers), so styling goes through
 * classes or `element.style` (CSSOM, which CSP allows), and events through addEventListener.
 */

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  title?: string;
  role?: string;
  tabIndex?: number;
  type?: string;
  hidden?: boolean;
  /** `aria-*` and `data-*` attributes and any other plain attribute (values are text, never markup). */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (e: HTMLElementEventMap[K]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) applyProps(el, props);
  append(el, ...children);
  return el;
}

export function applyProps(el: HTMLElement, props: Props): void {
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.title !== undefined) el.title = props.title;
  if (props.role) el.setAttribute('role', props.role);
  if (props.tabIndex !== undefined) el.tabIndex = props.tabIndex;
  if (props.type !== undefined) el.setAttribute('type', props.type);
  if (props.hidden) el.hidden = true;
  if (props.attrs) {
    for (const [k, v] of Object.entries(props.attrs)) {
      if (v === null || v === undefined || v === false) continue;
      // NOTE: refuse event-handler attributes outright; handlers go through `on`.
      if (/^on/i.test(k) || k.toLowerCase() === 'style') throw new Error(`refusing attribute ${k}`);
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  if (props.on) {
    for (const [type, fn] of Object.entries(props.on)) el.addEventListener(type, fn as EventListener);
  }
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (/^on/i.test(k) || k === 'style' || k === 'href') throw new Error(`refusing attribute ${k}`);
    el.setAttribute(k, String(v));
  }
  for (const c of children) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}
