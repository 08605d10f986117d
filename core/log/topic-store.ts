// What a partition directory records about its topic: partition.metadata (Kafka's file, with the
// topic id) and topic.config (the topic's config overrides as .properties), written to every
// partition directory so any one of them describes the topic.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseProperties, propertiesToObject } from '../../config/properties'
import type { FileWrite } from './io'

export const METADATA_FILE = 'partition.metadata'
export const CONFIG_FILE = 'topic.config'

export const newTopicId = (): Buffer => crypto.randomBytes(16)

/** Kafka prints topic ids as URL-safe base64 without padding. */
export const topicIdString = (id: Buffer): string => id.toString('base64url')

/** The files describing a new partition directory (for writeFilesDurably). */
export function topicFiles(dir: string, topicId: Buffer, overrides: Record<string, string>): FileWrite[] {
  return [{ file: path.join(dir, METADATA_FILE), data: `version: 0\ntopic_id: ${topicIdString(topicId)}\n` }, configFile(dir, overrides)]
}

export function configFile(dir: string, overrides: Record<string, string>): FileWrite {
  const body = Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${escape(v)}`).join('\n')
  return { file: path.join(dir, CONFIG_FILE), data: `# topic config overrides (written by Godwit)\n${body}\n` }
}

export function readTopicFiles(dir: string): { topicId: Buffer | undefined; overrides: Record<string, string> } {
  let topicId: Buffer | undefined
  let overrides: Record<string, string> = {}
  try {
    const m = /topic_id:\s*(\S+)/.exec(fs.readFileSync(path.join(dir, METADATA_FILE), 'utf8'))
    if (m !== null) topicId = Buffer.from(m[1], 'base64url')
    if (topicId?.length !== 16) topicId = undefined
  } catch { /* absent */ }
  try { overrides = propertiesToObject(parseProperties(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8'))) } catch { /* absent */ }
  return { topicId, overrides }
}

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

/** Kafka's legal topic names. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty'
  if (name.length > 249) return `is ${name.length} characters long; the limit is 249`
  if (name === '.' || name === '..') return `cannot be "${name}"`
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) return 'may only contain ASCII letters, digits, ".", "_" and "-"'
  return undefined
}
