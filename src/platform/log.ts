import type { Log, LogFields } from './ports';
import { redact, redactText } from './redact';

export type LogSink = (level: 'info' | 'warn' | 'error', line: string) => void;

const consoleSink: LogSink = (level, line) => {
  // Forge collects stdout/stderr as the app's logs.
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.warn(line);
};

/** A structured, redacting log: one JSON line per entry. */
export function createLog(sink: LogSink = consoleSink): Log {
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: LogFields) => {
    const entry = { level, msg: redactText(message), ...(fields ? (redact(fields) as LogFields) : {}) };
    sink(level, JSON.stringify(entry));
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

export const createConsoleLog = (): Log => createLog();
