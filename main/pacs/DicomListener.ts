/**
 * The C-STORE SCP: a modality or PACS pushes studies to the workstation over DIMSE.
 *
 * dcmjs-dimse rather than DCMTK's storescp as a child process (see the bench and the closing
 * note of issue 12): it runs in the back end's process on every platform (no DCMTK on a
 * Windows or macOS reading-room PC), it decides per association, so a calling AE title that is
 * not configured is rejected at A-ASSOCIATE (storescp has no calling-AE allow list), and each
 * C-STORE is answered with the import's own verdict (a refused instance gets a failure status,
 * so the sender knows).
 *
 * The received data set is kept as the bytes that came over the wire (no re-encoding), given a
 * Part 10 header and put through the same import path as a user's files. Imports run one at a
 * time in arrival order. Against floods: at most {@link LISTENER_MAX_CONNECTIONS} sockets at
 * once, and silent associations are dropped by dcmjs-dimse's idle timeouts.
 */
import { Writable } from 'node:stream';
import dcmjs from 'dcmjs';
import dcmjsDimse from 'dcmjs-dimse';
import type { DicomListenerReceived, DicomListenerSettings } from '../api/pacs.js';
import { isSupportedTransferSyntax } from '../imaging/transferSyntax.js';
import { fileMetaInformation } from '../reports/dicom/dicomCommon.js';
import { LISTENER_MAX_CONNECTIONS, LISTENER_TIMEOUTS } from './constants.js';
import type { ReceivedInstanceImporter } from './ReceivedInstanceImporter.js';

const { Server, Scp, Dataset } = dcmjsDimse;
const { CEchoResponse, CStoreResponse } = dcmjsDimse.responses;
const { PresentationContextResult, RejectResult, RejectSource, RejectReason, Status, SopClass } =
  dcmjsDimse.constants;
const { DicomDict, DicomMetaDictionary } = dcmjs.data;

dcmjsDimse.log.setLevel('silent');

/** Storage SOP classes all sit under this root (PS3.4 B.5). */
const STORAGE_SOP_CLASS_ROOT = '1.2.840.10008.5.1.4.1.1.';
/** C-STORE "Error: Cannot understand" (PS3.4 B.2.3): the instance was refused by the import. */
const STATUS_CANNOT_UNDERSTAND = 0xc000;
/** Implicit VR Little Endian, the default every SCU may fall back to. */
const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';

export interface ListenerCounters {
  received: number;
  rejectedAssociations: number;
}

type ScpInstance = InstanceType<typeof Scp>;
type Association = Parameters<ScpInstance['associationRequested']>[0];
type StoreRequest = Parameters<ScpInstance['cStoreRequest']>[0];
type PresentationContext = Parameters<ScpInstance['createStoreWritableStream']>[0];

export class DicomListener {
  private server: InstanceType<typeof Server> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  readonly counters: ListenerCounters = { received: 0, rejectedAssociations: 0 };

  constructor(
    private readonly settings: DicomListenerSettings,
    private readonly received: ReceivedInstanceImporter,
    private readonly onReceived: (event: DicomListenerReceived) => void = () => undefined,
  ) {}

  get listening(): boolean {
    return this.server !== null;
  }

  /** Starts listening on the configured port; rejects when the port cannot be bound. */
  start(): Promise<void> {
    if (this.server) return Promise.resolve();
    // dcmjs-dimse constructs the SCP class per association; it reaches this listener through the closure.
    const admit = (association: Association): number | null => this.admit(association);
    const store = (
      callingAeTitle: string,
      request: StoreRequest,
      body: Buffer | undefined,
      transferSyntax: string,
    ): Promise<number> => this.store(callingAeTitle, request, body, transferSyntax);
    const counters = this.counters;
    class WorkstationScp extends Scp {
      private readonly raw = new WeakMap<StoreRequest, Buffer>();
      private callingAeTitle = '';

      override associationRequested(association: Association): void {
        this.callingAeTitle = association.getCallingAeTitle().trim();
        const verdict = admit(association);
        if (verdict !== null) {
          counters.rejectedAssociations++;
          this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, verdict);
          return;
        }
        for (const { id } of association.getPresentationContexts()) {
          const context = association.getPresentationContext(id);
          const abstract = context.getAbstractSyntaxUid();
          if (abstract !== SopClass.Verification && !abstract.startsWith(STORAGE_SOP_CLASS_ROOT)) {
            context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
            continue;
          }
          const proposed = context.getTransferSyntaxUids();
          const chosen = proposed.find(isSupportedTransferSyntax);
          if (chosen) context.setResult(PresentationContextResult.Accept, chosen);
          else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
        }
        this.sendAssociationAccept();
      }

      override associationReleaseRequested(): void {
        this.sendAssociationReleaseResponse();
      }

      override cEchoRequest(
        request: Parameters<ScpInstance['cEchoRequest']>[0],
        callback: (r: never) => void,
      ): void {
        const response = CEchoResponse.fromRequest(request);
        response.setStatus(Status.Success);
        callback(response as never);
      }

      /** Keeps the data set's bytes as received, instead of parsing them into dcmjs objects. */
      override createStoreWritableStream(_context: PresentationContext, request: StoreRequest): Writable {
        const chunks: Buffer[] = [];
        const raw = this.raw;
        return new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk);
            done();
          },
          final(done) {
            raw.set(request, Buffer.concat(chunks));
            done();
          },
        });
      }

      override createDatasetFromStoreWritableStream(
        _writable: Writable,
        context: PresentationContext,
        callback: (dataset: InstanceType<typeof Dataset>) => void,
      ): void {
        callback(new Dataset({}, context.getAcceptedTransferSyntaxUid() ?? IMPLICIT_VR_LITTLE_ENDIAN));
      }

      override cStoreRequest(request: StoreRequest, callback: (response: never) => void): void {
        const body = this.raw.get(request);
        this.raw.delete(request);
        const transferSyntax = request.getDataset()?.getTransferSyntaxUid() ?? IMPLICIT_VR_LITTLE_ENDIAN;
        void store(this.callingAeTitle, request, body, transferSyntax).then((status) => {
          const response = CStoreResponse.fromRequest(request);
          response.setStatus(status);
          callback(response as never);
        });
      }
    }
    const server = new Server(WorkstationScp);
    return new Promise((resolve, reject) => {
      server.once('listening', () => {
        const socketServer = (server as unknown as { server: { maxConnections: number } }).server;
        socketServer.maxConnections = LISTENER_MAX_CONNECTIONS;
        this.server = server;
        resolve();
      });
      server.once('networkError', (error: Error) => {
        if (!this.server)
          reject(new Error(`DICOM listener: cannot listen on port ${this.settings.port}: ${error.message}`));
      });
      server.listen(this.settings.port, LISTENER_TIMEOUTS);
    });
  }

  /** Stops listening, drops open associations and waits for the imports already received. */
  async stop(): Promise<void> {
    this.server?.close();
    this.server = null;
    await this.queue;
  }

  /** Null to accept, or the A-ASSOCIATE-RJ reason. */
  private admit(association: Association): number | null {
    const called = association.getCalledAeTitle().trim();
    const calling = association.getCallingAeTitle().trim();
    if (called !== this.settings.aeTitle) return RejectReason.CalledAeNotRecognized;
    if (!this.settings.allowedCallingAeTitles.includes(calling)) return RejectReason.CallingAeNotRecognized;
    return null;
  }

  /** Imports one received instance (queued behind the others) and gives the C-STORE status. */
  private store(
    callingAeTitle: string,
    request: StoreRequest,
    body: Buffer | undefined,
    transferSyntax: string,
  ): Promise<number> {
    const run = async (): Promise<number> => {
      const sopInstanceUid = request.getAffectedSopInstanceUid();
      let outcome: DicomListenerReceived = {
        callingAeTitle,
        sopInstanceUid,
        outcome: 'error',
        reason: null,
        studyId: null,
      };
      try {
        if (!body || body.length === 0) throw new Error('empty data set');
        const file = part10(request.getAffectedSopClassUid(), sopInstanceUid, transferSyntax, body);
        const result = await this.received.importBytes(file, sopInstanceUid);
        outcome = { ...outcome, outcome: result.outcome, studyId: result.studyPk };
      } catch (error) {
        outcome = { ...outcome, reason: error instanceof Error ? error.message : String(error) };
      }
      this.counters.received++;
      this.onReceived(outcome);
      return outcome.outcome === 'error' ? STATUS_CANNOT_UNDERSTAND : Status.Success;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** The received data set with a Part 10 preamble and file meta group in front. */
function part10(
  sopClassUid: string,
  sopInstanceUid: string,
  transferSyntax: string,
  body: Buffer,
): Uint8Array {
  const meta = fileMetaInformation(sopClassUid, sopInstanceUid, transferSyntax);
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = {};
  const header = new Uint8Array(dict.write());
  const file = new Uint8Array(header.length + body.length);
  file.set(header);
  file.set(body, header.length);
  return file;
}
