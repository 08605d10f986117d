// Error codes of the mirror's raw batch path (its own Fetch/Produce requests over kafkajs's connections).
import { defineError } from '../../config'

export const WireVersionError = defineError('WireVersionError', 'MIRROR_WIRE_VERSION',
  'A broker does not serve the request version the raw mirror path sends (Fetch v4, Produce v3, InitProducerId v0); the message names the node, the API and the versions it serves.')
