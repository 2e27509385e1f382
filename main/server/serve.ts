/**
 * `npm run serve [-- --workspace DIR] [--port N]`: browser mode. Opens the workspace, starts the
 * loopback server and prints the URL (with this launch's token) to open in a browser.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MammoBackend } from '../backend/MammoBackend.js';
import { WorkspaceDirError, resolveWorkspaceDir } from '../workspace/resolveWorkspaceDir.js';
import { RENDERER_BUNDLE_DIR } from './constants.js';
import { ImageFileSource } from './ImageFileSource.js';
import { ImportUploads } from './ImportUploads.js';
import { MammoServer } from './MammoServer.js';
import { PredictionMapSource } from './PredictionMapSource.js';

const USAGE = 'usage: npm run serve -- [--workspace DIR] [--port N]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        workspace: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be 0..65535, got ${values.port}\n${USAGE}`);
    process.exit(2);
  }
  let backend: MammoBackend;
  try {
    backend = MammoBackend.open(resolveWorkspaceDir(values.workspace));
  } catch (error) {
    // One line: a workspace that cannot be named or opened is the user's to fix.
    console.error(`cannot open the workspace: ${(error as Error).message}`);
    process.exit(error instanceof WorkspaceDirError ? 2 : 1);
  }
  const server = new MammoServer({
    api: backend,
    images: new ImageFileSource(backend.workspace),
    predictionMaps: new PredictionMapSource(backend.workspace),
    uploads: new ImportUploads(backend.workspace.root, backend),
    staticRoot: RENDERER_BUNDLE_DIR,
    port,
  });
  const address = await server.start();
  if (!existsSync(RENDERER_BUNDLE_DIR)) {
    console.error(
      'The renderer bundle is not built yet: run `npm run build:renderer` (the API works without it).',
    );
  }
  console.log(`Mammo workstation (browser mode), workspace ${backend.workspace.root}`);
  // The DICOM listener runs with the app when its settings say so (it is off by default).
  await backend.pacs
    .startConfiguredListener()
    .catch((error: unknown) => console.error(error instanceof Error ? error.message : String(error)));
  console.log(`Open ${address.url}`);

  // Exit only once the back end has closed: workers stopped, the DICOM listener's port released,
  // the database closed (its WAL checkpointed). A second signal exits at once.
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      console.error(`${signal} again: exiting without waiting for the workspace to close`);
      process.exit(1);
    }
    closing = true;
    server
      .close()
      .then(() => backend.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(
            `could not close the workspace cleanly: ${error instanceof Error ? error.message : String(error)}`,
          );
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

await main();
