// Kafka's offset checkpoint files in the data directory (recovery-point-offset-checkpoint,
// log-start-offset-checkpoint): a version line, an entry count, then "topic partition offset".
import * as fs from 'node:fs'
import { writeFileAtomic } from './io'

export type OffsetMap = Map<string, number> // key: "<topic>-<partition>"

export function readCheckpoint(file: string): OffsetMap {
  const out: OffsetMap = new Map()
  let text: string
  try { text = fs.readFileSync(file, 'utf8') } catch { return out }
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  if (lines[0] !== '0') return out
  for (const line of lines.slice(2)) {
    const parts = line.trim().split(/\s+/)
    if (parts.length !== 3) return new Map() // damaged: recover everything rather than trust part of it
    const offset = Number(parts[2])
    if (!Number.isSafeInteger(offset)) return new Map()
    out.set(`${parts[0]}-${parts[1]}`, offset)
  }
  return out
}

export function writeCheckpoint(file: string, entries: { topic: string; partition: number; offset: number }[]): void {
  const lines = ['0', String(entries.length), ...entries.map((e) => `${e.topic} ${e.partition} ${e.offset}`)]
  writeFileAtomic(file, lines.join('\n') + '\n')
}
