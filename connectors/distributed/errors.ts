// Errors of distributed mode (connectors/distributed).
import { defineError } from '../../config'

export const TaskFencedError = defineError('TaskFencedError', 'TASK_FENCED',
  'A worker wrote offsets or status for a task whose lease it no longer holds (it was frozen or cut off past task.lease.ms and the task moved). The write was refused; the worker stops the task.')

export const RedisUnavailableError = defineError('RedisUnavailableError', 'REDIS_UNAVAILABLE',
  'The Redis that coordinates distributed workers could not be reached. Running tasks keep running; membership, leases and commands resume when Redis is back. Check redis.url and that Redis is up.',
  { retriable: true })

export const NotLeaderError = defineError('NotLeaderError', 'NOT_LEADER',
  'An operation only the group leader may perform was attempted by a worker that is not (or no longer) the leader.',
  { retriable: true })

export const DistributedCommandError = defineError('DistributedCommandError', 'DISTRIBUTED_COMMAND_FAILED',
  'A connector command (create, update, delete, pause, resume, restart) queued for the leader failed or timed out; the message says why.')
