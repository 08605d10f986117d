// Typed errors of the storage engine. Codes are Kafka's wire error names so the broker maps
// them to ErrorCode by name; each message says what was wrong and what to do.
import { defineError } from '../../config/errors'

export const CorruptRecordError = defineError('CorruptRecordError', 'CORRUPT_MESSAGE',
  'A produced record batch failed validation (CRC-32C mismatch, magic byte other than 2, or a batchLength that disagrees with the data); nothing was appended. Resend the batch.',
  { retriable: true })

export const InvalidRecordError = defineError('InvalidRecordError', 'INVALID_RECORD',
  'A produced record batch is well-formed but not acceptable (e.g. its record count disagrees with lastOffsetDelta); nothing was appended.')

export const RecordTooLargeError = defineError('RecordTooLargeError', 'MESSAGE_TOO_LARGE',
  'A record batch is larger than the topic\'s max.message.bytes; nothing was appended. Send smaller batches or raise max.message.bytes.')

export const InvalidTimestampError = defineError('InvalidTimestampError', 'INVALID_TIMESTAMP',
  'A produced batch carries a timestamp too far from the broker time for the topic\'s message.timestamp.before.max.ms / after.max.ms; nothing was appended.')

export const OffsetOutOfRangeError = defineError('OffsetOutOfRangeError', 'OFFSET_OUT_OF_RANGE',
  'A read asked for an offset outside [logStartOffset, logEndOffset] of the partition, or DeleteRecords for one past the high watermark.')

export const OutOfOrderSequenceError = defineError('OutOfOrderSequenceError', 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'An idempotent producer sent a batch whose sequence number does not follow the last one the partition stored for it.')

export const InvalidProducerEpochError = defineError('InvalidProducerEpochError', 'INVALID_PRODUCER_EPOCH',
  'An idempotent producer sent a batch with an epoch older than the one the partition has seen; a newer producer instance fenced it.')

export const TopicExistsError = defineError('TopicExistsError', 'TOPIC_ALREADY_EXISTS',
  'A topic of that name already exists.')

export const InvalidTopicError = defineError('InvalidTopicError', 'INVALID_TOPIC_EXCEPTION',
  'A topic name is empty, longer than 249 characters, "." or "..", or uses characters other than ASCII letters, digits, ".", "_" and "-".')

export const UnknownTopicOrPartitionError = defineError('UnknownTopicOrPartitionError', 'UNKNOWN_TOPIC_OR_PARTITION',
  'The topic or partition does not exist in this log directory.', { retriable: true })

export const InvalidPartitionsError = defineError('InvalidPartitionsError', 'INVALID_PARTITIONS',
  'A partition count is not a positive integer, or CreatePartitions asked for no more partitions than exist.')

export const LogClosedError = defineError('LogClosedError', 'KAFKA_STORAGE_ERROR',
  'The partition log is closed or failed (e.g. a disk write error); the broker must reopen it before it serves again.',
  { retriable: true })

export const DataDirLockedError = defineError('DataDirLockedError', 'LOG_DIR_LOCKED',
  'The data directory is already in use: its .lock file names a running process (another broker, or another LogManager in this process). Stop that broker or point this one at another log.dirs; a lock left by a process that is no longer running is taken over.')
