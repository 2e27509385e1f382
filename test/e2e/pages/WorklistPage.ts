import { type Locator, type Page, expect } from '@playwright/test';
import type { SignedInServer } from '../support/WorkstationServer.js';

/** The worklist and its import panel. */
export class WorklistPage {
  readonly root: Locator;
  readonly rows: Locator;
  readonly importPath: Locator;
  readonly importFormat: Locator;
  readonly importButton: Locator;
  readonly importResult: Locator;
  readonly importErrors: Locator;
  readonly importFailure: Locator;
  readonly filter: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('worklist');
    this.rows = page.getByTestId('study-row');
    this.importPath = page.getByLabel('File or folder to import');
    this.importFormat = page.getByLabel('Format');
    this.importButton = page.getByRole('button', { name: 'Import' });
    this.importResult = page.getByTestId('import-result');
    this.importErrors = page.getByTestId('import-errors');
    this.importFailure = page.getByTestId('import-failure');
    this.filter = page.getByLabel('Filter studies');
  }

  /** Opens the worklist with the server's session cookie (its launch link opens only once). */
  async goto(server: SignedInServer): Promise<void> {
    await this.page
      .context()
      .addCookies([{ ...server.sessionCookie, url: server.origin, httpOnly: true, sameSite: 'Strict' }]);
    await this.page.goto(`${server.origin}/`);
    await expect(this.root).toBeVisible();
  }

  /** Imports a path and waits for the batch to finish (a result line or a failure banner). */
  async importFrom(path: string, format: 'dicom' | 'mias'): Promise<void> {
    await this.importPath.fill(path);
    await this.importFormat.selectOption(format);
    await this.importButton.click();
    await expect(this.importResult.or(this.importFailure)).toBeVisible();
    await expect(this.page.getByRole('button', { name: 'Import' })).toBeVisible();
  }

  row(patientId: string): Locator {
    return this.page.locator(`[data-testid="study-row"][data-patient-id="${patientId}"]`);
  }

  /** Opens a study with the keyboard: select its row, then Enter. */
  async open(patientId: string): Promise<void> {
    await this.row(patientId).click();
    await this.page.getByTestId('study-table').press('Enter');
    await expect(this.page.getByTestId('study-viewer')).toBeVisible();
  }
}
