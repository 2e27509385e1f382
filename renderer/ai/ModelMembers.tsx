import type { ReactNode } from 'react';
import type { ModelCard } from '../../main/api/models.js';
import { formatMetric } from './formatMetric.js';

/**
 * The members of a multi-member model, from its card: what each looks for, the spacing it reads,
 * its width and, when it was measured alone, its own metrics. Nothing for a single-network model.
 * `compact` (the AI side panel) keeps what each finds, its spacing and its own AUC.
 */
export function ModelMembers({
  card,
  compact = false,
}: {
  card: Pick<ModelCard, 'members' | 'combination'>;
  compact?: boolean;
}): ReactNode {
  if (!card.members) return null;
  const rule = card.combination === 'max' ? 'maximum' : card.combination;
  return (
    <table className="model-members" data-testid="model-members">
      <caption>
        {compact
          ? `${card.members.length} members, per-pixel ${rule}`
          : `${card.members.length} members, maps combined by per-pixel ${rule}`}
      </caption>
      <thead>
        <tr>
          {!compact && <th>Member</th>}
          <th>Finds</th>
          <th title="Pixel spacing the member reads">Spacing</th>
          {!compact && <th>Width</th>}
          <th title="Image AUC of the member alone">AUC</th>
          {!compact && <th title="Lesion sensitivity at 1 FP/image of the member alone">Sens. @1FP</th>}
        </tr>
      </thead>
      <tbody>
        {card.members.map((member) => (
          <tr
            key={member.name}
            data-testid="model-member"
            data-member={member.name}
            data-role={member.role}
            title={`${member.name}: ${member.architecture} x${member.widthMultiplier}`}
          >
            {!compact && <td>{member.name}</td>}
            <td>{member.role}</td>
            <td>{member.inputPixelSpacingMm} mm</td>
            {!compact && <td>{member.widthMultiplier}</td>}
            <td>{formatMetric(member.validation?.imageAUC)}</td>
            {!compact && <td>{formatMetric(member.validation?.lesionSensitivityAt1FP)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
