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

  /**
   * Drops files on the worklist as a user dragging them from the desktop would: a real drop event
   * carrying a DataTransfer of File objects with the given names and bytes. Waits for the result.
   */
  async dropFiles(files: readonly { name: string; bytes: Uint8Array }[]): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(
      (encoded) => {
        // The page's own DataTransfer (this file is type-checked without the DOM library).
        const { DataTransfer } = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: File): unknown } };
        };
        const transfer = new DataTransfer();
        for (const { name, base64 } of encoded) {
          const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
          transfer.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
        }
        return transfer;
      },
      files.map(({ name, bytes }) => ({ name, base64: Buffer.from(bytes).toString('base64') })),
    );
    const table = this.page.getByTestId('study-table');
    await table.dispatchEvent('dragover', { dataTransfer });
    await expect(this.page.getByTestId('import-drop-overlay')).toBeVisible();
    await table.dispatchEvent('drop', { dataTransfer });
    await expect(this.importResult.or(this.importFailure)).toBeVisible();
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
