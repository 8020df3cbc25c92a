/**
 * Keeping a context document inside its limits without losing anything silently: a cut field ends
 * in a visible marker that says how much was left out, and its path is listed in `truncated`.
 */

export const truncationMarker = (omitted: number): string => `\n[… truncated: ${omitted} more characters]`;

/** Cuts `value` to at most `max` characters (marker included), at a line or word boundary when one is near. */
export function truncateText(value: string, max: number): { text: string; cut: boolean } {
  if (value.length <= max) return { text: value, cut: false };
  const room = Math.max(0, max - truncationMarker(value.length).length);
  let end = room;
  const lineBreak = value.lastIndexOf('\n', room);
  if (lineBreak > room * 0.8) end = lineBreak;
  else {
    const space = value.lastIndexOf(' ', room);
    if (space > room * 0.9) end = space;
  }
  return { text: `${value.slice(0, end).trimEnd()}${truncationMarker(value.length - end)}`, cut: true };
}

/** Collects the paths of the fields cut while building one document. */
export class TruncationLog {
  private readonly paths = new Set<string>();

  text(path: string, value: string, max: number): string {
    const { text, cut } = truncateText(value, max);
    if (cut) this.paths.add(path);
    return text;
  }

  nullableText(path: string, value: string | null | undefined, max: number): string | null {
    return value === null || value === undefined ? null : this.text(path, value, max);
  }

  add(path: string): void {
    this.paths.add(path);
  }

  list(): string[] {
    return [...this.paths].sort();
  }
}
