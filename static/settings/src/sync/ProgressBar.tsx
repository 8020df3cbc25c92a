/**
 * A themed progress bar (role="progressbar"). `percent` null = indeterminate: a segment sweeps
 * across (for users who prefer reduced motion, a still, faint full-width bar — never a fake amount).
 */
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';

export interface ProgressBarProps {
  /** 0–100, or null while the total is unknown. */
  percent: number | null;
  label: string;
  /** Read out instead of the bare percent, e.g. "120 of 480 requirements (25%)". */
  valueText: string;
  testId?: string;
}

const trackStyle: CSSProperties = {
  position: 'relative',
  overflow: 'hidden',
  height: 8,
  borderRadius: token('radius.full'),
  background: token('color.background.neutral'),
};

const fillStyle: CSSProperties = {
  position: 'absolute',
  insetBlock: 0,
  insetInlineStart: 0,
  borderRadius: token('radius.full'),
  background: token('color.background.brand.bold'),
  transition: 'width 300ms ease-out',
};

const SWEEP_CSS = `
@keyframes sqai-progress-sweep { from { transform: translateX(-100%); } to { transform: translateX(340%); } }
.sqai-progress-sweep { animation: sqai-progress-sweep 1.4s ease-in-out infinite; }
@media (prefers-reduced-motion: reduce) { .sqai-progress-sweep { animation: none; width: 100% !important; opacity: 0.3; } }
`;

export function ProgressBar({ percent, label, valueText, testId }: ProgressBarProps) {
  const determinate = percent !== null;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={determinate ? 0 : undefined}
      aria-valuemax={determinate ? 100 : undefined}
      aria-valuenow={determinate ? percent : undefined}
      aria-valuetext={valueText}
      data-testid={testId}
      style={trackStyle}
    >
      {determinate ? (
        <div style={{ ...fillStyle, width: `${percent}%` }} />
      ) : (
        <>
          <style>{SWEEP_CSS}</style>
          <div className="sqai-progress-sweep" style={{ ...fillStyle, width: '30%' }} />
        </>
      )}
    </div>
  );
}
