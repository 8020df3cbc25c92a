/**
 * A resolver failure as users see it: the short title as the SectionMessage title, then what failed
 * (the detail), then what the reader can do (the remedy). An error without a title (stored before
 * titles existed, or made up by the UI) shows its one-line message as the title.
 */
import { SectionMessage } from './SectionMessage';
import type { ReactNode } from 'react';
import type { ErrorDto } from '../../../src/api';

/** What a box or a row shows of an error: the DTO's texts (title and detail when it has them). */
export type ShownError = Pick<ErrorDto, 'message' | 'remedy' | 'title' | 'detail'>;

/** Title and detail to show: an untitled error's message is its title, with no detail under it. */
export function errorTexts(error: ShownError): { title: string; detail: string | undefined } {
  if (!error.title) return { title: error.message, detail: undefined };
  return { title: error.title, detail: error.detail ?? error.message };
}

export interface ErrorMessageBoxProps {
  error: ShownError;
  appearance?: 'error' | 'warning';
  testId?: string;
  /** Extra content under the remedy (e.g. a retry button). */
  children?: ReactNode;
}

export function ErrorMessageBox({ error, appearance = 'error', testId, children }: ErrorMessageBoxProps) {
  const { title, detail } = errorTexts(error);
  return (
    <SectionMessage appearance={appearance} title={title} testId={testId}>
      {detail ? <p data-testid={testId ? `${testId}--detail` : undefined}>{detail}</p> : null}
      {error.remedy ? <p data-testid={testId ? `${testId}--remedy` : undefined}>{error.remedy}</p> : null}
      {children}
    </SectionMessage>
  );
}
