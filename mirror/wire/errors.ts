// Error codes of the mirror's raw batch path (its own Fetch/Produce requests over kafkajs's connections).
import { defineError } from '../../config'

export const WireVersionError = defineError('WireVersionError', 'MIRROR_WIRE_VERSION',
  'A broker does not serve the request version the raw mirror path sends (Fetch v4, Produce v3, InitProducerId v0); the message names the node, the API and the versions it serves.')

export const RawProduceError = defineError('RawProduceError', 'MIRROR_PRODUCE_REJECTED',
  'The target cluster refused a record batch the mirror forwards as it is (for example MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, CORRUPT_MESSAGE, INVALID_RECORD, or an authorization error); sending the same bytes again cannot succeed. The message names the topic, partition, the broker error and what to change (often max.message.bytes on the target topic).')
