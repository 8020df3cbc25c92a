/**
 * Copying text from a Custom UI iframe. The clipboard API works when the host grants the iframe
 * `clipboard-write`; otherwise the text is selected (and `execCommand('copy')` tried) so the user can
 * press Ctrl+C / ⌘C.
 */

export type CopyOutcome = 'copied' | 'selected' | null;

/** Copies `text`; `element` holds the same text and is selected when the browser refuses. */
export async function copyText(text: string, element: HTMLElement | null): Promise<CopyOutcome> {
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    if (!element) return null;
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
      element.focus();
      element.select();
    } else {
      const range = document.createRange();
      range.selectNodeContents(element);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    try {
      if (document.execCommand('copy')) return 'copied';
    } catch {
      // fall through: the text stays selected
    }
    return 'selected';
  }
}
