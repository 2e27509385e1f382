import { type Locator, type Page, expect } from '@playwright/test';
import type { EditorMask } from '../../../renderer/common/debugProbeTypes.js';

interface EditingHandle {
  mask(): EditorMask | null;
}

/** The correction editor: tools, strokes, undo/redo, drafts, saving and versions. */
export class EditorPage {
  readonly root: Locator;
  readonly viewport: Locator;
  readonly versions: Locator;
  readonly message: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('mask-editor');
    this.viewport = page.getByTestId('editor-viewport');
    this.versions = page.getByTestId('version');
    this.message = page.getByTestId('editor-message');
  }

  /** From the reading view: "Edit" on the active image, then waits until the labelmap holds its start. */
  async openFromViewer(): Promise<void> {
    await this.page.getByTestId('edit-image').click();
    await this.expectReady();
  }

  async expectReady(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-ready', 'true');
  }

  async attribute(name: string): Promise<string> {
    return (await this.root.getAttribute(name)) ?? '';
  }

  async painted(): Promise<number> {
    return Number(await this.attribute('data-painted'));
  }

  async expectPainted(count: number): Promise<void> {
    await expect(this.root).toHaveAttribute('data-painted', String(count));
  }

  async chooseTool(label: string): Promise<void> {
    const button = this.page
      .getByRole('group', { name: 'Editing tool' })
      .getByRole('button', { name: label, exact: true });
    await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
  }

  async setBrushMm(mm: number): Promise<void> {
    await this.page.getByLabel('Brush radius (mm)').fill(String(mm));
  }

  async clearMask(): Promise<void> {
    await this.page.getByRole('button', { name: 'Clear mask' }).click();
    await this.expectPainted(0);
  }

  /**
   * Drags the mouse across the editor's viewport, from and to points given as fractions of its
   * size, and waits until the stroke is recorded as one undo step.
   */
  async stroke(from: [number, number], to: [number, number]): Promise<void> {
    const box = await this.viewport.boundingBox();
    if (!box) throw new Error('the editor viewport is not visible');
    const undoBefore = Number(await this.attribute('data-undo-depth'));
    const at = ([fx, fy]: [number, number]): [number, number] => [
      box.x + fx * box.width,
      box.y + fy * box.height,
    ];
    const [x0, y0] = at(from);
    const [x1, y1] = at(to);
    await this.page.mouse.move(x0, y0);
    await this.page.mouse.down();
    await this.page.mouse.move(x1, y1, { steps: 12 });
    await this.page.mouse.up();
    await expect(this.root).toHaveAttribute('data-undo-depth', String(undoBefore + 1));
  }

  /** Waits until the draft is autosaved after the latest change. */
  async expectDraftSaved(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-draft', 'saved');
  }

  /** The mask as the page holds it (what Save sends). */
  async mask(): Promise<EditorMask> {
    const mask = await this.page.evaluate(() =>
      (globalThis as unknown as { __mammoEditing?: EditingHandle }).__mammoEditing?.mask(),
    );
    if (!mask) throw new Error('no editor is open');
    return mask;
  }

  async undo(): Promise<void> {
    await this.page.keyboard.press('Control+z');
  }

  async redo(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+z');
  }

  async setReader(name: string): Promise<void> {
    await this.page.getByLabel('Reader name').fill(name);
  }

  /** Saves a new version and waits until the version list shows it. */
  async save(): Promise<void> {
    const before = Number(await this.attribute('data-versions'));
    await this.page.getByRole('button', { name: 'Save correction' }).click();
    await expect(this.root).toHaveAttribute('data-versions', String(before + 1));
  }

  /**
   * Removes an added finding with its ✕ and checks that one undo step brings the finding and its
   * pixels back together and redo removes them again.
   */
  async removeFindingUndoRedo(
    remove: Locator,
    expected: { findingsBefore: number; paintedBefore: number; paintedAfter: number },
  ): Promise<void> {
    const added = this.page.getByTestId('added-finding');
    await remove.click();
    await expect(added).toHaveCount(expected.findingsBefore - 1);
    await this.expectPainted(expected.paintedAfter);
    await this.viewport.hover();
    await this.undo();
    await expect(added).toHaveCount(expected.findingsBefore);
    await this.expectPainted(expected.paintedBefore);
    await this.redo();
    await expect(added).toHaveCount(expected.findingsBefore - 1);
    await this.expectPainted(expected.paintedAfter);
  }

  finding(index: number): Locator {
    return this.page.locator(`[data-testid="finding"][data-index="${index}"]`);
  }

  async openLearning(): Promise<void> {
    await this.page.getByRole('button', { name: 'Learning', exact: true }).first().click();
    await expect(this.page.getByTestId('learning-panel')).toHaveAttribute('data-loaded', 'true');
  }
}
