/** worker_threads entry that judges a candidate: the gate's paired bootstrap, off the server's thread. */
import type { PromotionGateResult } from '../api/training.js';
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { type GateRequest, promotionGate } from './promotionGate.js';

serveWorkerRequests<GateRequest, PromotionGateResult>(async (request) => ({
  result: promotionGate(request.candidateId, request.currentId, request.sets, {
    autoPromote: request.autoPromote,
  }),
}));
