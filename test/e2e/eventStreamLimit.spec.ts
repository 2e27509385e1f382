/**
 * The server serves at most MAX_EVENT_STREAMS live event streams; a window refused one (429) says
 * so in a banner instead of silently never showing import progress or AI results, and reconnects
 * once a stream is free. The other streams are held from Node: the tabs of one browser share one
 * stream (eventStreamSharing.spec), so tabs alone could not reach the server's limit.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { MAX_EVENT_STREAMS } from '../../main/server/constants.js';
import { expect, test } from './fixtures.js';
import { WorklistPage } from './pages/WorklistPage.js';
import { WorkstationServer } from './support/WorkstationServer.js';

/** Opens one event stream with the session cookie; resolves with its request once the server answered. */
function holdEventStream(server: WorkstationServer): Promise<{ request: ClientRequest; status: number }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.origin}/api/events`, {
      headers: { Cookie: `${server.sessionCookie.name}=${server.sessionCookie.value}` },
    });
    request.on('response', (response) => resolve({ request, status: response.statusCode ?? 0 }));
    request.on('error', reject);
    request.end();
  });
}

test('a window refused an event stream shows a banner and reconnects when one is free', async ({
  context,
  worklist,
  shot,
}) => {
  const server = await WorkstationServer.start();
  const held: ClientRequest[] = [];
  try {
    for (let i = 0; i < MAX_EVENT_STREAMS; i++) {
      const stream = await holdEventStream(server);
      held.push(stream.request);
      expect(stream.status).toBe(200);
    }
    await worklist.goto(server);
    const banner = worklist.page.getByTestId('event-stream-banner');
    await expect(banner).toHaveAttribute('data-status', '429');
    await expect(banner).toContainText('Too many open workstation windows: this one gets no live updates.');
    await expect(banner).toContainText('close other workstation tabs');
    await shot('event-stream-refused');
    // A second tab of the browser gets its events from the first one's stream, and so its state.
    const second = new WorklistPage(await context.newPage());
    await second.goto(server);
    const secondBanner = second.page.getByTestId('event-stream-banner');
    await expect(secondBanner).toHaveAttribute('data-status', '429');

    held.pop()!.destroy();
    // The server frees the slot when it sees the connection close: retry until it has. Reconnect
    // in the second tab has the first one open the stream again.
    await expect(async () => {
      await secondBanner.getByRole('button', { name: 'Reconnect' }).click({ timeout: 1000 });
      await expect(secondBanner).toBeHidden({ timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    await expect(banner).toBeHidden();
  } finally {
    for (const request of held) request.destroy();
    await server.stop();
  }
});
