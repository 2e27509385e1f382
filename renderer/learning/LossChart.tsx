import type { ReactNode } from 'react';

export interface LossPoint {
  step: number;
  loss: number;
}

/** A live training-loss curve in SVG: loss against step, scaled to the points so far. */
export function LossChart({
  points,
  totalSteps,
  width = 420,
  height = 160,
}: {
  points: readonly LossPoint[];
  totalSteps: number;
  width?: number;
  height?: number;
}): ReactNode {
  const pad = { left: 40, right: 8, top: 8, bottom: 18 };
  const finite = points.filter((p) => Number.isFinite(p.loss));
  const losses = finite.map((p) => p.loss);
  const low = losses.length ? Math.min(...losses) : 0;
  const high = losses.length ? Math.max(...losses) : 1;
  const span = high - low || Math.abs(high) || 1;
  const lastStep = Math.max(1, totalSteps, ...finite.map((p) => p.step));
  const x = (step: number): number => pad.left + (step / lastStep) * (width - pad.left - pad.right);
  const y = (loss: number): number => pad.top + (1 - (loss - low) / span) * (height - pad.top - pad.bottom);
  return (
    <svg
      className="loss-chart"
      width={width}
      height={height}
      role="img"
      aria-label={`Training loss over ${finite.length} steps`}
      data-testid="loss-chart"
      data-points={finite.length}
    >
      <line
        x1={pad.left}
        y1={height - pad.bottom}
        x2={width - pad.right}
        y2={height - pad.bottom}
        stroke="#2a3038"
      />
      <line x1={pad.left} y1={pad.top} x2={pad.left} y2={height - pad.bottom} stroke="#2a3038" />
      <text x={2} y={pad.top + 8}>
        {high.toPrecision(3)}
      </text>
      <text x={2} y={height - pad.bottom}>
        {low.toPrecision(3)}
      </text>
      <text x={width - pad.right - 60} y={height - 4}>
        step {lastStep}
      </text>
      {finite.length > 0 && (
        <polyline points={finite.map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ')} />
      )}
      {finite.length === 1 && (
        <circle cx={x(finite[0]!.step)} cy={y(finite[0]!.loss)} r={2.5} fill="#4da3ff" />
      )}
    </svg>
  );
}
