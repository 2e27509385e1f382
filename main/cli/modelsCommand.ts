import type { Command } from './mammo.js';
import { UsageError } from './UsageError.js';

/** `mammo models list [--json]`, `mammo models promote ID`, `mammo models rollback`. */
export const modelsCommand: Command = async ({ backend, args, json, stdout }) => {
  const [action = 'list', id] = args.filter((a) => !a.startsWith('--'));
  if (action === 'list') {
    const { versions } = await backend.listModels({});
    if (json) {
      stdout(JSON.stringify(versions));
      return 0;
    }
    if (versions.length === 0) stdout('no models installed');
    for (const v of versions) {
      const auc = v.card.validation
        ? `AUC ${v.card.validation.imageAUC?.toFixed(3) ?? 'undefined (no normal images)'}, sens@1FP ${v.card.validation.lesionSensitivityAt1FP.toFixed(3)}`
        : 'not validated';
      const members = v.card.members
        ? `\tmembers ${v.card.members.map((m) => `${m.name} (${m.role}, ${m.inputPixelSpacingMm} mm)`).join(', ')}, combined by ${v.card.combination}`
        : '';
      stdout(
        `${v.status === 'current' ? '*' : ' '} ${v.id}\t${v.status}\t${v.origin}\tparent ${v.card.parentId ?? '-'}\t${v.card.createdAt}\t${auc}${members}`,
      );
    }
    return 0;
  }
  if (action === 'promote') {
    if (!id) throw new UsageError('models promote needs a model id');
    const version = await backend.promoteModel({ modelId: id });
    stdout(json ? JSON.stringify(version) : `current model: ${version.id}`);
    return 0;
  }
  if (action === 'rollback') {
    const version = await backend.rollbackModel({});
    stdout(json ? JSON.stringify(version) : `current model: ${version.id}`);
    return 0;
  }
  throw new UsageError(`unknown models action ${action}`);
};
