import { type Locator, type Page, expect } from '@playwright/test';

/** The Learning panel: fine-tune, progress, the gate, promotion and re-analysis. */
export class LearningPage {
  readonly root: Locator;
  readonly runningJob: Locator;
  readonly finishedJob: Locator;
  readonly lossChart: Locator;
  readonly reanalysis: Locator;
  /** What a fine-tune would learn from and be judged on. */
  readonly plan: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('learning-panel');
    this.runningJob = page.getByTestId('running-job');
    this.finishedJob = page.getByTestId('finished-job');
    this.lossChart = page.getByTestId('loss-chart');
    this.reanalysis = page.getByTestId('reanalysis');
    this.plan = page.getByTestId('finetune-plan');
  }

  async expectLoaded(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-loaded', 'true');
  }

  async fineTune(steps: number): Promise<void> {
    await this.page.getByLabel('Fine-tune steps').fill(String(steps));
    await this.page.getByRole('button', { name: 'Fine-tune', exact: true }).click();
  }

  modelRow(modelId: string): Locator {
    return this.page.locator(`[data-testid="model-version"][data-model-id="${modelId}"]`);
  }

  /** Promotes, answering the confirmation (typing the id where the candidate has no validation). */
  async promote(modelId: string): Promise<void> {
    this.page.once(
      'dialog',
      (dialog) => void dialog.accept(dialog.type() === 'prompt' ? modelId : undefined),
    );
    await this.modelRow(modelId)
      .getByRole('button', { name: `Promote ${modelId}` })
      .click();
    await expect(this.root).toHaveAttribute('data-current-model', modelId);
  }

  async reanalyse(): Promise<void> {
    await this.page.getByRole('button', { name: 'Re-analyse with the new model' }).click();
  }
}
