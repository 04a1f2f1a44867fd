// Times and values as the console shows them: relative words with the exact date on hover.
import { relativeTime } from '../shared/time-words.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function exactTime(iso: string): string {
  return `${dateFormat.format(new Date(iso))} (${iso})`;
}

export function relative(iso: string): string {
  return relativeTime(iso, Date.now());
}

/** Lines or commas of a textarea as a list, blanks dropped. */
export function listOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const DAY_MS = 86_400_000;

/** An expiry choice of the forms as the API wants it: an ISO time, or null for never. */
export function expiryFrom(choice: string, date: string): string | null {
  if (choice === 'never') return null;
  if (choice === 'date') return new Date(`${date}T00:00:00Z`).toISOString();
  return new Date(Date.now() + Number(choice) * DAY_MS).toISOString();
}
