// Error codes of the MirrorMaker 2 layer.
import { defineError } from '../config'

export const MirrorFormatError = defineError('MirrorFormatError', 'MIRROR_BAD_RECORD',
  'An MM2 internal record (heartbeat, checkpoint or offset sync) could not be decoded; the message says which field is short or invalid.')

export const MirrorConfigError = defineError('MirrorConfigError', 'MIRROR_CONFIG_INVALID',
  'An mm2.properties file is invalid: the message lists every bad cluster, flow or property and what it expects.')

export const MirrorCycleError = defineError('MirrorCycleError', 'MIRROR_CYCLE',
  'A topic would be replicated back to a cluster it came from; the replication policy refuses it.')

export const OffsetTranslationError = defineError('OffsetTranslationError', 'MIRROR_OFFSET_TRANSLATION',
  'A consumer group offset could not be translated: no checkpoint exists yet for the group, or the clusters are not replicated.')
