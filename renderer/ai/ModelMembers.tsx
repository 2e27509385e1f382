import type { ReactNode } from 'react';
import type { ModelCard } from '../../main/api/models.js';
import { formatMetric } from './formatMetric.js';

/**
 * The members of a multi-member model, from its card: what each looks for, the spacing it reads,
 * its width and, when it was measured alone, its own metrics. Nothing for a single-network model.
 */
export function ModelMembers({ card }: { card: Pick<ModelCard, 'members' | 'combination'> }): ReactNode {
  if (!card.members) return null;
  return (
    <table className="model-members" data-testid="model-members">
      <caption>
        {card.members.length} members, maps combined by per-pixel{' '}
        {card.combination === 'max' ? 'maximum' : card.combination}
      </caption>
      <thead>
        <tr>
          <th>Member</th>
          <th>Finds</th>
          <th title="Pixel spacing the member reads">Spacing</th>
          <th>Width</th>
          <th title="Image AUC of the member alone">AUC</th>
          <th title="Lesion sensitivity at 1 FP/image of the member alone">Sens. @1FP</th>
        </tr>
      </thead>
      <tbody>
        {card.members.map((member) => (
          <tr key={member.name} data-testid="model-member" data-member={member.name} data-role={member.role}>
            <td>{member.name}</td>
            <td>{member.role}</td>
            <td>{member.inputPixelSpacingMm} mm</td>
            <td>{member.widthMultiplier}</td>
            <td>{formatMetric(member.validation?.imageAUC)}</td>
            <td>{formatMetric(member.validation?.lesionSensitivityAt1FP)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
