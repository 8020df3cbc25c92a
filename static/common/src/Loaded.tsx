/**
 * A section's read in its three states: a loading line, the error with "Try again", or the content
 * made from the data.
 */
import type { ReactNode } from 'react';
import type { Load } from './data/load';
import { LoadingLine } from './LoadingLine';
import { TryAgainBox } from './TryAgainBox';

export interface LoadedProps<T> {
  load: Load<T>;
  loadingText: string;
  onTryAgain: () => void;
  loadingTestId?: string;
  errorTestId?: string;
  children: (data: T) => ReactNode;
}

export function Loaded<T>({
  load,
  loadingText,
  onTryAgain,
  loadingTestId,
  errorTestId,
  children,
}: LoadedProps<T>) {
  if (load.status === 'loading') return <LoadingLine text={loadingText} testId={loadingTestId} />;
  if (load.status === 'failed')
    return <TryAgainBox error={load.error} onTryAgain={onTryAgain} testId={errorTestId} />;
  return <>{children(load.data)}</>;
}
