/**
 * Exports: PNG (the current view), SVG (the whole scene, with the current colouring), DOT and JSON.
 * In VS Code the host saves them (JSON and HTML from its own snapshot); the standalone page downloads.
 */
import { encodeSnapshotJson } from '../../src/protocol/snapshotJson';
import { modelToDot } from '../export/dotExport';
import { sceneToSvg } from '../export/svgExport';
import { PROTOCOL_VERSION, type ExportFormat } from '../protocol';
import { baseName } from '../util/format';
import { sceneNodeTitle } from '../view/scene';
import type { Page } from './page';

export class ExportController {
  constructor(private readonly page: Page) {}

  private fileStem(): string {
    const model = this.page.state.model;
    const file = model ? baseName(model.snapshot.file) : 'graph';
    return `${file.replace(/\.[^.]+$/, '') || 'graph'}-graph`;
  }

  /** The export's content (also what tests read back). */
  async content(format: Exclude<ExportFormat, 'html'>): Promise<string> {
    const { state, views } = this.page;
    const model = state.model;
    const scene = state.scene;
    if (!model || !scene) throw new Error('no graph to export');
    switch (format) {
      case 'png':
        return views.graph.pngBase64();
      case 'svg': {
        const flow = this.page.gradientFlow.style()?.style;
        const flags = views.graph.flagsForExport();
        const colouring = { ...flags, edgeColor: flow?.color ?? null, edgeWidth: flow?.width ?? null, vanishing: flow?.vanishing ?? null };
        return sceneToSvg(scene, (s) => sceneNodeTitle(model, s), this.page.palette, colouring, `Gradscope graph of ${model.snapshot.file}`);
      }
      case 'dot':
        return modelToDot(model);
      case 'json':
        // The standalone page's own file; in VS Code the host writes it from its snapshot.
        return encodeSnapshotJson(model.snapshot, 1);
    }
  }

  async export(format: ExportFormat): Promise<void> {
    const { state, host } = this.page;
    if (!state.model) return;
    const fileName = `${this.fileStem()}.${format}`;
    try {
      if (format === 'html' || format === 'json') host.save({ format, fileName });
      else if (format === 'png') host.save({ format, fileName, base64: await this.content('png') });
      else host.save({ format, fileName, text: await this.content(format) });
      this.page.announce(`Exported ${fileName}.`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.page.announce(`Export failed: ${message}`);
      host.post({ v: PROTOCOL_VERSION, type: 'log', level: 'error', message: `export ${format} failed: ${message}` });
    }
  }
}
