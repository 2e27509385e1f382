import { RequestRefusedError } from '../api/errors.js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ModelCard, ModelStatus, ModelVersion } from '../api/models.js';
import { AuditLog } from '../db/AuditLog.js';
import { PredictionRepository } from '../db/PredictionRepository.js';
import { removeFilesAndEmptyFolders } from '../workspace/removeWorkspaceFiles.js';
import type { Workspace } from '../workspace/Workspace.js';
import { networkDifference, predictionsDependOnChange } from './cardChange.js';
import { CARD_FILE, ModelLoadError, pinnedFilesMismatch, readModelCard } from './modelFolder.js';

interface ModelRow {
  id: string;
  origin: ModelVersion['origin'];
  status: ModelStatus;
  card_json: string;
}

/**
 * Model versions known to a workspace: the ones shipped with the app and the ones trained
 * locally (under `<workspace>/models/<id>`). Exactly one is current; every change is audited.
 */
export class ModelRegistry {
  private readonly audit: AuditLog;

  constructor(
    private readonly workspace: Workspace,
    /** The app's `models/` folder. */
    private readonly shippedDir: string,
  ) {
    this.audit = new AuditLog(workspace.db);
  }

  /** Folder of the workspace's own model versions. */
  get workspaceModelsDir(): string {
    return join(this.workspace.root, 'models');
  }

  /**
   * Registers shipped model folders not yet known. A shipped version the app no longer ships (an
   * update replaced it) is retired, since its weights are gone. When no model is current, the
   * newest shipped one becomes current. Unreadable folders, and new ones whose files do not match
   * the sha256 their card pins (weights, and model.json where the card records it), are reported
   * and skipped.
   *
   * A shipped id is immutable in its network (weights and topology): a release may change a known
   * model's card (its thresholds, notes, metrics, a testTimeMirror, a topology pin the registered
   * card lacked), and the registered card is refreshed from it once the folder's files are checked
   * against it, dropping the cached predictions the change makes stale. The same id with other
   * weights or another model.json is refused (reported, the registered version kept as it was).
   */
  syncShipped(): { registered: string[]; refreshed: string[]; problems: string[] } {
    const registered: string[] = [];
    const refreshed: string[] = [];
    const problems: string[] = [];
    if (!existsSync(this.shippedDir)) return { registered, refreshed, problems };
    const cards: ModelCard[] = [];
    const changed: ModelCard[] = [];
    for (const name of readdirSync(this.shippedDir).sort()) {
      const folder = join(this.shippedDir, name);
      if (!existsSync(join(folder, CARD_FILE))) continue;
      try {
        const card = readModelCard(folder);
        if (card.id !== name)
          throw new ModelLoadError(`${folder}: card id ${card.id} does not match the folder name`);
        const known = this.get(card.id);
        if (!known) {
          const mismatch = pinnedFilesMismatch(folder, card);
          if (mismatch) throw new ModelLoadError(mismatch);
        }
        cards.push(card);
        if (known?.origin === 'shipped' && !isDeepStrictEqual(known.card, card)) {
          const problem = changedCardProblem(folder, known.card, card);
          if (problem) throw new ModelLoadError(problem);
          changed.push(card);
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    const predictions = new PredictionRepository(this.workspace.db);
    const staleMaps: string[] = [];
    this.workspace.db.transaction(() => {
      const shipped = new Set(cards.map((card) => card.id));
      for (const version of this.list()) {
        if (version.origin !== 'shipped' || version.status === 'retired' || shipped.has(version.id)) continue;
        if (existsSync(join(this.shippedDir, version.id))) continue; // there, but unreadable: reported above
        this.workspace.db
          .prepare("UPDATE model_versions SET status = 'retired' WHERE id = ?")
          .run(version.id);
        this.audit.record('model.unshipped', version.id, { was: version.status });
      }
      for (const card of changed) {
        const before = this.get(card.id)!.card;
        const stale = predictionsDependOnChange(before, card) ? predictions.deleteForModel(card.id) : [];
        this.workspace.db
          .prepare('UPDATE model_versions SET card_json = ?, parent_id = ? WHERE id = ?')
          .run(JSON.stringify(card), card.parentId, card.id);
        this.audit.record('model.cardChanged', card.id, { droppedPredictions: stale.length });
        staleMaps.push(...stale);
        refreshed.push(card.id);
      }
      for (const card of cards) {
        if (this.get(card.id)) continue;
        this.insert(card, 'shipped', 'candidate');
        registered.push(card.id);
      }
      if (!this.current()) {
        const newest = [...cards].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
        if (newest) this.setCurrent(newest.id, 'initial');
      }
    })();
    // After the commit: a crash in between leaves unreferenced maps, never a record without its map.
    removeFilesAndEmptyFolders(this.workspace, staleMaps);
    return { registered, refreshed, problems };
  }

  /** Records a locally trained version, saved beforehand into {@link folderOf}. */
  addCandidate(card: ModelCard): ModelVersion {
    this.workspace.db.transaction(() => {
      this.insert(card, 'workspace', 'candidate');
      this.audit.record('model.candidate', card.id, { parentId: card.parentId, validation: card.validation });
    })();
    return this.get(card.id)!;
  }

  list(): ModelVersion[] {
    const rows = this.workspace.db
      .prepare('SELECT * FROM model_versions ORDER BY registered_at, rowid')
      .all() as ModelRow[];
    return rows.map(toVersion);
  }

  get(id: string): ModelVersion | null {
    const row = this.workspace.db.prepare('SELECT * FROM model_versions WHERE id = ?').get(id) as
      ModelRow | undefined;
    return row ? toVersion(row) : null;
  }

  current(): ModelVersion | null {
    const row = this.workspace.db.prepare("SELECT * FROM model_versions WHERE status = 'current'").get() as
      ModelRow | undefined;
    return row ? toVersion(row) : null;
  }

  folderOf(version: Pick<ModelVersion, 'id' | 'origin'>): string {
    return join(version.origin === 'shipped' ? this.shippedDir : this.workspaceModelsDir, version.id);
  }

  /** Makes a version current; the previous current one is retired (and can be rolled back to). */
  promote(id: string): ModelVersion {
    if (!this.get(id)) throw new RequestRefusedError(`model ${id} not found`);
    this.workspace.db.transaction(() => this.setCurrent(id, 'promote'))();
    return this.get(id)!;
  }

  /**
   * The model a rollback would return to (the one current before the last promotion), or why there
   * is none; the UI offers Roll back only with a target.
   */
  rollbackTarget(): { to: string; from: string } | { refusal: string } {
    const last = this.workspace.db
      .prepare(
        "SELECT model_id, previous_id FROM model_promotions WHERE kind = 'promote' ORDER BY id DESC LIMIT 1",
      )
      .get() as { model_id: string; previous_id: string | null } | undefined;
    const current = this.current();
    if (!current) return { refusal: 'nothing to roll back to: no model is current' };
    if (!last?.previous_id || last.model_id !== current.id)
      return { refusal: `nothing to roll back to: ${current.id} was not promoted over an earlier model` };
    return { to: last.previous_id, from: current.id };
  }

  /** Returns to the model that was current before the last promotion. */
  rollback(): ModelVersion {
    const target = this.rollbackTarget();
    if ('refusal' in target) throw new RequestRefusedError(target.refusal);
    this.workspace.db.transaction(() => {
      this.setCurrent(target.to, 'rollback');
      // The rolled-back model goes back to being a candidate, so it can be promoted again.
      this.workspace.db
        .prepare("UPDATE model_versions SET status = 'candidate' WHERE id = ?")
        .run(target.from);
    })();
    return this.get(target.to)!;
  }

  /**
   * Why a version cannot be discarded, or null: the current model, a shipped one, and an ancestor of
   * another version (the lineage records what its descendants learned) are kept.
   */
  discardRefusal(id: string): string | null {
    const version = this.get(id);
    if (!version) return `model ${id} not found`;
    if (version.status === 'current')
      return `${id} is the current model: promote or roll back to another first`;
    if (version.origin === 'shipped') return `${id} ships with the app and cannot be discarded`;
    if (version.status === 'retired')
      return `${id} was replaced by a newer model and stays in the promotion history`;
    const child = this.list().find((v) => v.card.parentId === id);
    if (child) return `${id} is the parent of ${child.id} and stays in its lineage`;
    return null;
  }

  /**
   * Deletes the record of a candidate trained here that the reader does not want; call inside a
   * transaction, then remove its {@link folderOf}. Refused where {@link discardRefusal} says why. A
   * rolled-back candidate can go too: its promotion and rollback leave the promotion history (the
   * audit log keeps them), so a later rollback returns before the promotion before it.
   */
  removeCandidate(id: string): ModelVersion {
    const refusal = this.discardRefusal(id);
    if (refusal) throw new RequestRefusedError(refusal);
    const version = this.get(id)!;
    const db = this.workspace.db;
    db.prepare('DELETE FROM model_promotions WHERE model_id = ?').run(id);
    db.prepare('UPDATE model_promotions SET previous_id = NULL WHERE previous_id = ?').run(id);
    db.prepare('DELETE FROM model_versions WHERE id = ?').run(id);
    this.audit.record('model.discarded', id, { parentId: version.card.parentId });
    return version;
  }

  private insert(card: ModelCard, origin: ModelVersion['origin'], status: ModelStatus): void {
    this.workspace.db
      .prepare(
        'INSERT INTO model_versions (id, parent_id, origin, status, card_json, registered_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(card.id, card.parentId, origin, status, JSON.stringify(card), new Date().toISOString());
  }

  /** Call inside a transaction. */
  private setCurrent(id: string, kind: 'promote' | 'rollback' | 'initial'): void {
    const previous = this.current();
    if (previous?.id === id) return;
    const db = this.workspace.db;
    if (previous) db.prepare("UPDATE model_versions SET status = 'retired' WHERE id = ?").run(previous.id);
    db.prepare("UPDATE model_versions SET status = 'current' WHERE id = ?").run(id);
    db.prepare('INSERT INTO model_promotions (model_id, previous_id, at, kind) VALUES (?, ?, ?, ?)').run(
      id,
      previous?.id ?? null,
      new Date().toISOString(),
      kind,
    );
    this.audit.record(`model.${kind}`, id, { previous: previous?.id ?? null });
  }
}

/**
 * Why a shipped folder's changed card cannot replace the registered one, or null: its networks
 * (weights and pinned topologies) must be the registered version's, and the files in the folder
 * must be the ones the card pins.
 */
function changedCardProblem(folder: string, registered: ModelCard, shipped: ModelCard): string | null {
  const kept = `the registered ${shipped.id} is kept`;
  const difference = networkDifference(registered, shipped);
  if (difference?.kind === 'weights')
    return `${folder}: ships ${shipped.id} with other weights than the version this workspace registered (a shipped model id never changes its weights: ship them under a new id); ${kept}`;
  if (difference?.kind === 'topology')
    return `${folder}: ships ${shipped.id} with another ${difference.file} than the version this workspace registered (a shipped model id never changes its topology: ship it under a new id); ${kept}`;
  if (difference?.kind === 'unpinned')
    return `${folder}: ships ${shipped.id} with a card that no longer records the sha256 of ${difference.file}, which the registered card pins; ${kept}`;
  const mismatch = pinnedFilesMismatch(folder, shipped);
  return mismatch && `${mismatch}; ${kept}`;
}

function toVersion(row: ModelRow): ModelVersion {
  return { id: row.id, origin: row.origin, status: row.status, card: JSON.parse(row.card_json) as ModelCard };
}
