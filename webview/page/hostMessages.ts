/** What the host asks of the page (already validated by parseToWebview), dispatched to the controllers. */
import type { ToWebview } from '../protocol';
import type { GraphLoader } from './graphLoader';
import type { Page } from './page';

export function handleHostMessage(page: Page, loader: GraphLoader, setTheme: (kind: Extract<ToWebview, { type: 'theme' }>['kind']) => void, msg: ToWebview, receivedAt: number): void {
  const { state, views } = page;
  switch (msg.type) {
    case 'runStarted':
      views.runStatus.running(msg.file);
      break;
    case 'setGraph':
      views.runStatus.finished(msg.run, !msg.snapshot && state.model !== null);
      if (msg.snapshot) void loader.setGraph(msg.snapshot, receivedAt);
      else if (!state.model) views.empty.textContent = msg.run.status === 'ok' ? 'The run recorded no graph.' : 'The run failed before it recorded a graph.';
      break;
    case 'revealNode': {
      const i = state.model?.indexOf.get(msg.nodeId);
      if (i !== undefined) void page.selection.selectNode(i, { post: false, openSource: false, reveal: true });
      break;
    }
    case 'selectNodes':
      void page.selection.setLinked(msg.nodeIds);
      break;
    case 'theme':
      setTheme(msg.kind);
      break;
  }
}
