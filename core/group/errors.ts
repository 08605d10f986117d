import { defineError } from '../../config/errors'

export const OffsetLogRecordError = defineError('OffsetLogRecordError', 'GROUP_OFFSET_LOG_RECORD_INVALID',
  'A record in the __consumer_offsets log could not be decoded (unknown schema version or truncated bytes); the coordinator skips it and logs the offset key.')
