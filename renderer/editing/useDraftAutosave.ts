import {
  type Dispatch,
  type RefObject,
  type SetStateAction,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import type { AnnotationDraft } from '../../main/api/annotations.js';
import type { ApiClient } from '../api/ApiClient.js';
import { EDITING_DEFAULTS } from './constants.js';
import { messageOf } from '../common/messageOf.js';

/** Where the draft stands: none, restored from the back end, waiting to save, saving, saved, failed. */
export type DraftState = 'none' | 'restored' | 'pending' | 'saving' | 'saved' | 'error';

/** What a draft holds besides its image and reader, as the page has it when the draft is sent. */
export type DraftContent = Omit<AnnotationDraft, 'imageId' | 'reader' | 'updatedAt'>;

export interface DraftAutosaveOptions {
  client: ApiClient;
  imageId: number;
  /** The draft's content now, or null while there is nothing to save (no labelmap yet). */
  content(): DraftContent | null;
  /** The reader's name now: the draft is theirs. */
  reader(): string;
  onError(message: string): void;
}

export interface DraftAutosave {
  state: DraftState;
  setState: Dispatch<SetStateAction<DraftState>>;
  /** Drafts saved since the editor opened (a render signal for tests). */
  saves: number;
  /** The name the draft was last autosaved (or restored) under: drafts are each reader's own. */
  owner: RefObject<string | null>;
  /** A change was made: save the draft once the reader pauses. */
  schedule(): void;
  /** Saves the draft at once (a pending autosave included). */
  saveNow(): Promise<void>;
  /** Drops a pending autosave (a save of the version makes it moot). */
  cancel(): void;
}

/**
 * Autosaves the reader's work in progress as their draft: a change schedules a save after
 * `EDITING_DEFAULTS.autosaveMs` without changes; leaving the editor or the page saves a pending
 * draft at once rather than dropping it.
 *
 * @example
 * const draft = useDraftAutosave({ client, imageId, content: () => current(), reader: () => name, onError: setError });
 * draft.schedule(); // after each edit
 */
export function useDraftAutosave(options: DraftAutosaveOptions): DraftAutosave {
  const { client, imageId } = options;
  const [state, setState] = useState<DraftState>('none');
  const [saves, setSaves] = useState(0);
  const timer = useRef(0);
  const changeSeq = useRef(0);
  const owner = useRef<string | null>(null);
  // Read when a draft is sent, so the callbacks below stay the same across renders.
  const latest = useRef(options);
  latest.current = options;

  const cancel = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = 0;
  }, []);

  const saveNow = useCallback(async () => {
    cancel();
    const content = latest.current.content();
    if (!content) return;
    const seq = changeSeq.current;
    setState('saving');
    const reader = latest.current.reader().trim();
    try {
      await client.saveDraft({ imageId, reader, ...content });
      owner.current = reader;
      // A change made while this one was on its way is still pending.
      if (seq === changeSeq.current) setState('saved');
      setSaves((n) => n + 1);
    } catch (thrown) {
      setState('error');
      latest.current.onError(`Draft not saved: ${messageOf(thrown)}`);
    }
  }, [client, imageId, cancel]);

  const schedule = useCallback(() => {
    changeSeq.current++;
    setState('pending');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void saveNow(), EDITING_DEFAULTS.autosaveMs);
  }, [saveNow]);

  useEffect(() => {
    const flush = (): void => {
      if (timer.current) void saveNow();
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [saveNow]);

  return { state, setState, saves, owner, schedule, saveNow, cancel };
}
