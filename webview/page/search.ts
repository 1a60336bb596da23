/** Search: matches by name, op or variable, highlighted on the canvas and the outline; Enter walks them. */
import { searchNodes } from '../model/search';
import type { Page } from './page';

const TYPING_PAUSE_MS = 120;

export class SearchController {
  private timer = 0;

  constructor(private readonly page: Page) {}

  /** While typing: searches once the user pauses. */
  schedule(query: string): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.run(query), TYPING_PAUSE_MS);
  }

  run(query: string): void {
    const { state } = this.page;
    state.search = { query, matches: state.model ? searchNodes(state.model, query) : [], current: -1 };
    if (state.search.matches.length) state.search.current = 0;
    this.show();
    if (query) this.page.announce(state.search.matches.length ? `${state.search.matches.length} matches.` : 'No match.');
  }

  /** Enter / Shift+Enter: the next or previous match becomes the selection. */
  step(delta: 1 | -1): void {
    const { state, views } = this.page;
    clearTimeout(this.timer);
    const s = state.search;
    if (views.toolbar.searchInput.value !== s.query) this.run(views.toolbar.searchInput.value);
    else if (s.matches.length) s.current = (s.current + delta + s.matches.length) % s.matches.length;
    if (state.search.current < 0) return;
    this.show();
    void this.page.selection.selectNode(state.search.matches[state.search.current], { post: true, openSource: false, reveal: true });
  }

  /** Re-runs the query on a new graph (a re-run of the script keeps what the user searched for). */
  refresh(): void {
    const { state } = this.page;
    const query = state.search.query;
    state.search = { query, matches: query && state.model ? searchNodes(state.model, query) : [], current: -1 };
    if (state.search.matches.length) state.search.current = 0;
  }

  /** Canvas flags, the match count and the outline's marks. */
  show(): void {
    const { state, views } = this.page;
    const s = state.search;
    this.page.flags.applySearch();
    views.toolbar.setSearchCount(s.query ? (s.matches.length ? `${s.current + 1} of ${s.matches.length}` : 'no match') : '');
    views.outline.setMatches(s.matches);
  }
}
