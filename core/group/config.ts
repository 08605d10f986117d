// The group coordinator's broker settings, by Kafka's names and defaults. The broker's own
// ConfigDef extends this one (BrokerConfigDef = X.extend(..., GroupCoordinatorConfigDef.keys)).
import { defineConfig, atLeast, between, type ConfigOf } from '../../config'

export const GroupCoordinatorConfigDef = defineConfig('Group coordinator', {
  'group.initial.rebalance.delay.ms': {
    type: 'int', default: 3000, validate: atLeast(0), importance: 'medium',
    doc: 'How long the coordinator waits for more members to join a new (empty) group before the first rebalance; each join during the wait extends it, up to the rebalance timeout.',
  },
  'group.min.session.timeout.ms': {
    type: 'int', default: 6000, validate: atLeast(0), importance: 'medium',
    doc: 'The smallest session timeout a member may ask for; smaller ones are refused with INVALID_SESSION_TIMEOUT.',
  },
  'group.max.session.timeout.ms': {
    type: 'int', default: 1800000, validate: atLeast(0), importance: 'medium',
    doc: 'The largest session timeout a member may ask for; larger ones are refused with INVALID_SESSION_TIMEOUT.',
  },
  'group.max.size': {
    type: 'int', default: 2147483647, validate: atLeast(1), importance: 'medium',
    doc: 'The most members one consumer group may have; further joins get GROUP_MAX_SIZE_REACHED.',
  },
  'offsets.retention.minutes': {
    type: 'int', default: 10080, validate: atLeast(1), importance: 'high',
    doc: 'After a group has no members for this long (or, for standalone consumers, since the last commit) its committed offsets are deleted.',
  },
  'offsets.retention.check.interval.ms': {
    type: 'long', default: 600000, validate: atLeast(1), importance: 'high',
    doc: 'How often the coordinator looks for expired committed offsets.',
  },
  'offset.metadata.max.bytes': {
    type: 'int', default: 4096, validate: between(0, 32767), importance: 'high',
    doc: 'The largest metadata string (UTF-8 bytes) a committed offset may carry; longer ones get OFFSET_METADATA_TOO_LARGE. At most 32767, the limit of the __consumer_offsets record format.',
  },
})

export type GroupCoordinatorConfig = ConfigOf<typeof GroupCoordinatorConfigDef>
